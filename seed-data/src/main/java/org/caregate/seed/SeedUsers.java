package org.caregate.seed;

import static org.caregate.seed.SeedUser.ROLE_CAREGATE_ADMIN;
import static org.caregate.seed.SeedUser.ROLE_CLINICIAN;
import static org.caregate.seed.SeedUser.ROLE_OFFICE_STAFF;
import static org.caregate.seed.SeedUser.ROLE_SITE_ADMIN;

import java.util.List;
import java.util.Set;
import org.caregate.seed.SeedUser.Kind;
import org.caregate.seed.SeedUser.Status;

/**
 * The persona accounts of the seed dataset. Keep this list, the {@code https://fhir.caregate.example/sid/user}
 * identifiers in the bundles and the table in {@code seed-data/README.md} in step (the tests check the first two).
 */
final class SeedUsers {

    static final List<SeedUser> ALL = List.of(
            // patients
            patient("alice", "Alice Nguyen", "pat-adult-alice"),
            patient("bob", "Bob Thompson", "pat-adult-bob"),
            patient("carol", "Carol Johnson", "pat-adult-carol"),
            patient("dan", "Dan Miller", "pat-adult-dan"),
            patient("erin", "Erin Walsh", "pat-adult-erin"),
            patient("frank", "Frank Ortiz", "pat-adult-frank"),
            patient("jordan", "Jordan Lee", "pat-adult-18"),
            patient("lucia", "Lucia Garcia", "pat-family-13"),
            patient("diego", "Diego Garcia", "pat-family-17"),
            // a parent who is also a patient: her guardianships are RelatedPerson?identifier=...sid/user|maria
            patient("maria", "Maria Garcia", "pat-parent-garcia"),
            // related persons who are not patients here
            relatedPerson("karen", "Karen Lee", "rp-lee-for-18"),
            relatedPerson("susan", "Susan Kim", "rp-guardian-court"),
            relatedPerson("patricia", "Patricia Lowe", "rp-guardian-former"),
            // practitioners and staff
            practitioner("dr.okafor", "Dr. Samuel Okafor", "prac-north-gp", "org-clinic-north", ROLE_CLINICIAN),
            practitioner("linda", "Linda Chen", "prac-north-staff", "org-clinic-north", ROLE_OFFICE_STAFF),
            practitioner("priya", "Priya Natarajan", "prac-north-admin", "org-clinic-north", ROLE_SITE_ADMIN),
            practitioner("dr.haddad", "Dr. Nadia Haddad", "prac-south-gp", "org-clinic-south", ROLE_CLINICIAN),
            new SeedUser(
                    "dr.becker",
                    password("dr.becker"),
                    "Dr. Thomas Becker",
                    "Practitioner/prac-south-former",
                    Kind.PRACTITIONER,
                    "org-clinic-south",
                    Set.of(ROLE_CLINICIAN),
                    Status.TERMINATED),
            practitioner("dr.park", "Dr. Helen Park", "prac-hosp-internal", "org-hospital", ROLE_CLINICIAN),
            practitioner("dr.iyer", "Dr. Rajesh Iyer", "prac-hosp-radiology", "org-hospital", ROLE_CLINICIAN),
            // hospital IT: reviews the registered clients; no PractitionerRole and no organisation, so no patient data
            new SeedUser(
                    "grace",
                    password("grace"),
                    "Grace Liu (CareGate administrator)",
                    "Practitioner/prac-hosp-it",
                    Kind.PRACTITIONER,
                    null,
                    Set.of(ROLE_CAREGATE_ADMIN),
                    Status.ACTIVE));

    private SeedUsers() {}

    /** The documented development password of a seed account: not a secret. */
    static String password(String username) {
        return username + "-dev-password";
    }

    private static SeedUser patient(String username, String displayName, String patientId) {
        return new SeedUser(
                username,
                password(username),
                displayName,
                "Patient/" + patientId,
                Kind.PATIENT,
                null,
                Set.of(),
                Status.ACTIVE);
    }

    private static SeedUser relatedPerson(String username, String displayName, String relatedPersonId) {
        return new SeedUser(
                username,
                password(username),
                displayName,
                "RelatedPerson/" + relatedPersonId,
                Kind.RELATED_PERSON,
                null,
                Set.of(),
                Status.ACTIVE);
    }

    private static SeedUser practitioner(
            String username, String displayName, String practitionerId, String organizationId, String role) {
        return new SeedUser(
                username,
                password(username),
                displayName,
                "Practitioner/" + practitionerId,
                Kind.PRACTITIONER,
                organizationId,
                Set.of(role),
                Status.ACTIVE);
    }
}
