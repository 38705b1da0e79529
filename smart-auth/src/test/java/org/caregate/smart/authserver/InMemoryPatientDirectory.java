package org.caregate.smart.authserver;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.caregate.smart.authserver.context.AccessCheck;
import org.caregate.smart.authserver.context.PatientAccessDirectory;
import org.caregate.smart.authserver.context.PatientChoice;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserKind;

/**
 * Stands in for the server's FHIR-backed directory: who may open which patient, with the one rule the tests need
 * from the real policy (a guardian's access ends on the child's 12th birthday), evaluated on the date of {@code now}.
 */
public final class InMemoryPatientDirectory implements PatientAccessDirectory {

    private final Map<String, List<PatientChoice>> patientsByUsername = new ConcurrentHashMap<>();

    public void allow(String username, PatientChoice... patients) {
        patientsByUsername.put(username, List.of(patients));
    }

    @Override
    public List<PatientChoice> permittedPatients(UserAccount user, Instant now) {
        List<PatientChoice> permitted = new ArrayList<>();
        for (PatientChoice choice : patientsByUsername.getOrDefault(user.username(), List.of())) {
            if (checkAccess(user, choice.patientId(), now).permitted()) {
                permitted.add(choice);
            }
        }
        return permitted;
    }

    @Override
    public AccessCheck checkAccess(UserAccount user, String patientId, Instant now) {
        PatientChoice patient = patientsByUsername.getOrDefault(user.username(), List.of()).stream()
                .filter(choice -> choice.patientId().equals(patientId))
                .findFirst()
                .orElse(null);
        if (patient == null) {
            return AccessCheck.deny("deny-all", "no relationship with this patient");
        }
        if (user.kind() == UserKind.RELATED_PERSON) {
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            if (patient.birthDate() == null
                    || Period.between(patient.birthDate(), today).getYears() >= 12) {
                return AccessCheck.deny(
                        "guardian", "guardians have no online access to records of patients aged 12-17");
            }
            return AccessCheck.permit("guardian", "guardian of a child aged 0-11");
        }
        return AccessCheck.permit("test", "listed in the test directory");
    }
}
