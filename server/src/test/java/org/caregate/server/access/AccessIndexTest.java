package org.caregate.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;
import org.caregate.server.config.CareGateProperties;
import org.caregate.server.testing.FullStackTest;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * CareGate's access index: kept by every FHIR write in the write's transaction, equal to one rebuilt from the FHIR
 * data, and read by the next request on this node and on another node sharing the database.
 */
class AccessIndexTest extends FullStackTest {

    private static final String DAN = "pat-adult-dan";

    @Autowired
    AccessIndex index;

    @Autowired
    AccessIndexBuilder builder;

    @Autowired
    DaoRegistry daoRegistry;

    @Autowired
    UserAccountService accounts;

    @Autowired
    AccessFactsResolver facts;

    @Autowired
    PatientAccess policy;

    @Autowired
    CareGateProperties properties;

    @Autowired
    Clock clock;

    @Autowired
    DataSource dataSource;

    @Test
    void rebuildWhenIndexMaintainedByWritesThenTheSameFacts() {
        List<AccessFact> maintained = sorted(index.all());
        long generation = index.generation();

        builder.rebuild();

        assertThat(sorted(index.all())).isEqualTo(maintained);
        assertThat(maintained).isNotEmpty();
        assertThat(index.generation()).isGreaterThan(generation);
    }

    @Test
    void careTeamWhenCreatedAndEndedByFhirWritesThenTheNextRequestOnEachNodeFollows() {
        IGenericClient okafor = fhirClient(tokens().userToken("dr.okafor", "openid fhirUser user/*.rs", null));
        // another node: its own decision cache over the same database
        AccessDecisions otherNode = new AccessDecisions(facts, policy, new AccessIndex(dataSource), properties, clock);
        UserAccount account = accounts.find("dr.okafor").orElseThrow();
        assertThat(otherNode.forUser(account).permittedPatientIds()).doesNotContain(DAN);
        assertThatThrownBy(
                        () -> okafor.read().resource(Patient.class).withId(DAN).execute())
                .isInstanceOf(ForbiddenOperationException.class);

        CareTeam team =
                new CareTeam().setStatus(CareTeam.CareTeamStatus.ACTIVE).setSubject(new Reference("Patient/" + DAN));
        team.addParticipant().setMember(new Reference("Practitioner/prac-north-gp"));
        IdType id = (IdType) daoRegistry
                .getResourceDao(CareTeam.class)
                .create(team, new SystemRequestDetails())
                .getId()
                .toUnqualifiedVersionless();
        try {
            assertThat(okafor.read()
                            .resource(Patient.class)
                            .withId(DAN)
                            .execute()
                            .getIdElement()
                            .getIdPart())
                    .isEqualTo(DAN);
            assertThat(otherNode.forUser(account).permittedPatientIds()).contains(DAN);

            team.setId(id);
            team.setStatus(CareTeam.CareTeamStatus.INACTIVE);
            daoRegistry.getResourceDao(CareTeam.class).update(team, new SystemRequestDetails());

            assertThatThrownBy(() ->
                            okafor.read().resource(Patient.class).withId(DAN).execute())
                    .isInstanceOf(ForbiddenOperationException.class);
            assertThat(otherNode.forUser(account).permittedPatientIds()).doesNotContain(DAN);
        } finally {
            daoRegistry.getResourceDao(CareTeam.class).delete(id, new SystemRequestDetails());
        }
    }

    private static List<AccessFact> sorted(List<AccessFact> facts) {
        return facts.stream().sorted(Comparator.comparing(AccessFact::toString)).toList();
    }
}
