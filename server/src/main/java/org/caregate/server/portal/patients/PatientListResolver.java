package org.caregate.server.portal.patients;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.caregate.server.access.AccessFactsResolver;
import org.caregate.smart.authserver.context.PatientAccessDirectory;
import org.caregate.smart.authserver.context.PatientChoice;
import org.caregate.smart.authserver.user.UserAccount;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Component;

/**
 * The patients a user may see now, as the portal lists them: the consent rules' list
 * ({@link PatientAccessDirectory#permittedPatients}) with each patient's medical record number, read in one search.
 * A record that carries the user's own username is left out even if a rule were to permit it: the portal never
 * lists a practitioner's own record.
 */
@Component
public class PatientListResolver {

    /** CareGate's medical record number system. */
    public static final String MRN_SYSTEM = "https://fhir.caregate.example/sid/mrn";

    private final PatientAccessDirectory directory;
    private final DaoRegistry daoRegistry;

    public PatientListResolver(PatientAccessDirectory directory, DaoRegistry daoRegistry) {
        this.directory = directory;
        this.daoRegistry = daoRegistry;
    }

    /** The permitted patients, in the directory's order (name, then id). */
    public List<PatientRow> permittedPatients(UserAccount user, Instant now) {
        List<PatientChoice> permitted = directory.permittedPatients(user, now);
        if (permitted.isEmpty()) {
            return List.of();
        }
        TokenOrListParam ids = new TokenOrListParam();
        permitted.forEach(choice -> ids.addOr(new ca.uhn.fhir.rest.param.TokenParam(choice.patientId())));
        Map<String, Patient> records = daoRegistry
                .getResourceDao(Patient.class)
                .searchForResources(SearchParameterMap.newSynchronous().add("_id", ids), new SystemRequestDetails())
                .stream()
                .map(Patient.class::cast)
                .collect(Collectors.toMap(p -> p.getIdElement().getIdPart(), Function.identity(), (a, b) -> a));
        return permitted.stream()
                .filter(choice -> records.containsKey(choice.patientId()))
                .filter(choice -> !isUser(records.get(choice.patientId()), user.username()))
                .map(choice -> new PatientRow(
                        choice.patientId(),
                        choice.displayName(),
                        choice.birthDate(),
                        mrn(records.get(choice.patientId()))))
                .toList();
    }

    private static boolean isUser(Patient patient, String username) {
        return patient.getIdentifier().stream()
                .anyMatch(identifier -> AccessFactsResolver.USER_SYSTEM.equals(identifier.getSystem())
                        && username.equals(identifier.getValue()));
    }

    private static String mrn(Patient patient) {
        return patient.getIdentifier().stream()
                .filter(identifier -> MRN_SYSTEM.equals(identifier.getSystem()))
                .map(Identifier::getValue)
                .findFirst()
                .orElse(null);
    }
}
