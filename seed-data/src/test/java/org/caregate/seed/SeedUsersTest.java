package org.caregate.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;

class SeedUsersTest {

    private static final PreparedSeed SEED = PreparedSeed.on(LocalDate.of(2026, 11, 21));
    private static final List<SeedUser> USERS = PreparedSeed.DATASET.users();

    @Test
    void usersWhenListedThenUsernamesAreUniqueAndPasswordsAreTheDocumentedOnes() {
        assertThat(USERS).extracting(SeedUser::username).doesNotHaveDuplicates().allMatch(u -> u.matches("[a-z.]+"));
        assertThat(USERS).allSatisfy(u -> assertThat(u.devPassword()).isEqualTo(u.username() + "-dev-password"));
        assertThat(PreparedSeed.DATASET.version()).isEqualTo(SeedDataset.VERSION);
    }

    @Test
    void usersWhenListedThenFhirUserResolvesToAResourceOfTheirKind() {
        for (SeedUser user : USERS) {
            assertThat(SEED.byReference()).as(user.username()).containsKey(user.fhirUser());
            assertThat(SEED.byReference().get(user.fhirUser()).fhirType())
                    .isEqualTo(user.kind().resourceType());
        }
    }

    @Test
    void usersWhenTheirResourceIsInTheDatasetThenItCarriesTheirUserIdentifier() {
        for (SeedUser user : USERS) {
            DomainResource resource = (DomainResource) SEED.byReference().get(user.fhirUser());
            assertThat(userIdentifiers(resource)).as(user.username()).containsExactly(user.username());
        }
    }

    @Test
    void userIdentifiersWhenPresentThenNameAnExistingUser() {
        Set<String> usernames = USERS.stream().map(SeedUser::username).collect(Collectors.toSet());
        Stream.of(Patient.class, RelatedPerson.class, Practitioner.class)
                .flatMap(SEED::resources)
                .forEach(r ->
                        assertThat(usernames).as(r.getIdElement().getValue()).containsAll(userIdentifiers(r)));
    }

    @Test
    void usersWhenParentThenAllHerRelatedPersonsCarryHerUsername() {
        List<String> guardianships = SEED.resources(RelatedPerson.class)
                .filter(rp -> userIdentifiers(rp).contains("maria"))
                .map(rp -> rp.getIdElement().getIdPart())
                .sorted()
                .toList();
        assertThat(guardianships)
                .containsExactly("rp-garcia-for-11", "rp-garcia-for-13", "rp-garcia-for-17", "rp-garcia-for-4");
    }

    @Test
    void usersWhenPractitionerThenOrganizationAndStatusMatchTheirPractitionerRole() {
        Map<String, PractitionerRole> roleByPractitioner = SEED.resources(PractitionerRole.class)
                .collect(Collectors.toMap(r -> r.getPractitioner().getReference(), r -> r));
        for (SeedUser user : USERS) {
            if (user.kind() != SeedUser.Kind.PRACTITIONER) {
                assertThat(user.organizationId()).as(user.username()).isNull();
                assertThat(user.roles()).as(user.username()).isEmpty();
                continue;
            }
            if (user.roles().contains(SeedUser.ROLE_CAREGATE_ADMIN)) {
                // hospital IT: no role at any organisation, so the access rules give this account no patient
                assertThat(user.organizationId()).as(user.username()).isNull();
                assertThat(roleByPractitioner).as(user.username()).doesNotContainKey(user.fhirUser());
                assertThat(user.roles()).as(user.username()).containsExactly(SeedUser.ROLE_CAREGATE_ADMIN);
                continue;
            }
            PractitionerRole role = roleByPractitioner.get(user.fhirUser());
            assertThat(role).as(user.username()).isNotNull();
            assertThat(role.getOrganization().getReference()).isEqualTo("Organization/" + user.organizationId());
            assertThat(role.getActive()).as(user.username()).isEqualTo(user.status() == SeedUser.Status.ACTIVE);
            assertThat(user.roles()).as(user.username()).hasSize(1);
        }
    }

    @Test
    void usersWhenPractitionerIsAlsoAPatientThenTheirPatientRecordCarriesTheSameUsername() {
        Patient ownRecord = SEED.get(Patient.class, "pat-dr-south");
        assertThat(userIdentifiers(ownRecord)).containsExactly("dr.haddad");
        assertThat(SEED.get(Practitioner.class, "prac-south-gp")
                        .getNameFirstRep()
                        .getNameAsSingleString())
                .contains(ownRecord.getNameFirstRep().getFamily());
    }

    static List<String> userIdentifiers(DomainResource resource) {
        List<Identifier> identifiers;
        if (resource instanceof Patient patient) {
            identifiers = patient.getIdentifier();
        } else if (resource instanceof RelatedPerson relatedPerson) {
            identifiers = relatedPerson.getIdentifier();
        } else if (resource instanceof Practitioner practitioner) {
            identifiers = practitioner.getIdentifier();
        } else {
            identifiers = List.of();
        }
        return identifiers.stream()
                .filter(i -> SeedUser.USER_IDENTIFIER_SYSTEM.equals(i.getSystem()))
                .map(Identifier::getValue)
                .toList();
    }
}
