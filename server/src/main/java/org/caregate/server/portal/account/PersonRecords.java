package org.caregate.server.portal.account;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.Optional;
import org.caregate.server.access.AccessFactsResolver;
import org.caregate.server.config.CareGateProperties;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.springframework.stereotype.Component;

/**
 * The FHIR records an account is made for: a Patient (activation) or a RelatedPerson (guardian invitation), read
 * with system rights, and the facts the account pages need: name, e-mail address, age on today's date in the
 * facility's time zone (a birthday on 29 February falls on 1 March in other years, as {@link Period} counts).
 */
@Component
public class PersonRecords {

    private final DaoRegistry daoRegistry;
    private final ZoneId zone;
    private final Clock clock;

    public PersonRecords(DaoRegistry daoRegistry, CareGateProperties properties, Clock clock) {
        this.daoRegistry = daoRegistry;
        this.zone = properties.facilityZone();
        this.clock = clock;
    }

    public Optional<Patient> patient(String id) {
        try {
            return Optional.of(daoRegistry
                    .getResourceDao(Patient.class)
                    .read(new IdType("Patient", id), new SystemRequestDetails()));
        } catch (ResourceNotFoundException | ResourceGoneException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public Optional<RelatedPerson> relatedPerson(String id) {
        try {
            return Optional.of(daoRegistry
                    .getResourceDao(RelatedPerson.class)
                    .read(new IdType("RelatedPerson", id), new SystemRequestDetails()));
        } catch (ResourceNotFoundException | ResourceGoneException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(zone));
    }

    /** Age in whole years today, or empty without a birth date. */
    public Optional<Integer> age(Patient patient) {
        if (!patient.hasBirthDate()) {
            return Optional.empty();
        }
        return Optional.of(Period.between(birthDate(patient), today()).getYears());
    }

    public LocalDate birthDate(Patient patient) {
        return LocalDate.of(
                patient.getBirthDateElement().getYear(),
                patient.getBirthDateElement().getMonth() + 1,
                patient.getBirthDateElement().getDay());
    }

    /** The day of the 18th birthday (29 February → 1 March in a common year). */
    public LocalDate eighteenthBirthday(Patient patient) {
        LocalDate born = birthDate(patient);
        LocalDate birthday = born.plusYears(18);
        return birthday.getDayOfMonth() != born.getDayOfMonth() ? birthday.plusDays(1) : birthday;
    }

    public static Optional<String> email(java.util.List<ContactPoint> telecom) {
        return telecom.stream()
                .filter(c -> c.getSystem() == ContactPoint.ContactPointSystem.EMAIL && c.hasValue())
                .map(ContactPoint::getValue)
                .findFirst();
    }

    public static String name(java.util.List<HumanName> names) {
        return names.isEmpty() ? "" : names.get(0).getNameAsSingleString();
    }

    /**
     * Records on the RelatedPerson that {@code username}'s account acts as it (the identifier the access rules look
     * for, {@value AccessFactsResolver#USER_SYSTEM}), so one guardian account holds every child it was invited for.
     */
    public void linkToAccount(RelatedPerson relatedPerson, String username) {
        boolean linked = relatedPerson.getIdentifier().stream()
                .anyMatch(i -> AccessFactsResolver.USER_SYSTEM.equals(i.getSystem()) && username.equals(i.getValue()));
        if (!linked) {
            relatedPerson.addIdentifier(
                    new Identifier().setSystem(AccessFactsResolver.USER_SYSTEM).setValue(username));
            daoRegistry.getResourceDao(RelatedPerson.class).update(relatedPerson, new SystemRequestDetails());
        }
    }
}
