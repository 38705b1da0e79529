package org.caregate.server.portal.patients;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.caregate.server.access.AccessFactsResolver;
import org.caregate.smart.authserver.context.PatientAccessDirectory;
import org.caregate.smart.authserver.context.PatientChoice;
import org.caregate.smart.authserver.user.UserAccount;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Encounter;
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

    static final int ENCOUNTERS_PER_PATIENT = 5;
    static final int MAX_PATIENTS_WITH_ENCOUNTERS = 200;

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
        Map<String, List<EncounterChoice>> encounters = recentEncounters(permitted);
        return permitted.stream()
                .filter(choice -> records.containsKey(choice.patientId()))
                .filter(choice -> !isUser(records.get(choice.patientId()), user.username()))
                .map(choice -> new PatientRow(
                        choice.patientId(),
                        choice.displayName(),
                        choice.birthDate(),
                        mrn(records.get(choice.patientId())),
                        encounters.getOrDefault(choice.patientId(), List.of())))
                .toList();
    }

    /**
     * Each patient's {@value #ENCOUNTERS_PER_PATIENT} most recent encounters, read in one search, for lists of up to
     * {@value #MAX_PATIENTS_WITH_ENCOUNTERS} patients (a larger panel is listed without them).
     */
    private Map<String, List<EncounterChoice>> recentEncounters(List<PatientChoice> permitted) {
        if (permitted.size() > MAX_PATIENTS_WITH_ENCOUNTERS) {
            return Map.of();
        }
        ReferenceOrListParam patients = new ReferenceOrListParam();
        permitted.forEach(choice -> patients.addOr(new ReferenceParam("Patient/" + choice.patientId())));
        SearchParameterMap search = SearchParameterMap.newSynchronous()
                .add(Encounter.SP_PATIENT, patients)
                .setSort(new SortSpec(Encounter.SP_DATE, SortOrderEnum.DESC));
        search.setLoadSynchronousUpTo(MAX_PATIENTS_WITH_ENCOUNTERS * ENCOUNTERS_PER_PATIENT * 4);
        Map<String, List<EncounterChoice>> byPatient = new HashMap<>();
        for (IBaseResource resource :
                daoRegistry.getResourceDao(Encounter.class).searchForResources(search, new SystemRequestDetails())) {
            Encounter encounter = (Encounter) resource;
            String patientId = encounter.getSubject().getReferenceElement().getIdPart();
            List<EncounterChoice> choices = byPatient.computeIfAbsent(patientId, id -> new ArrayList<>());
            if (patientId != null && choices.size() < ENCOUNTERS_PER_PATIENT) {
                choices.add(new EncounterChoice(encounter.getIdElement().getIdPart(), label(encounter)));
            }
        }
        return byPatient;
    }

    private static String label(Encounter encounter) {
        String date = encounter.getPeriod().hasStart()
                ? encounter.getPeriod().getStartElement().getValueAsString().substring(0, 10)
                : "no date";
        String kind = encounter.hasType() && encounter.getTypeFirstRep().hasText()
                ? encounter.getTypeFirstRep().getText()
                : encounter.getTypeFirstRep().getCodingFirstRep().hasDisplay()
                        ? encounter.getTypeFirstRep().getCodingFirstRep().getDisplay()
                        : encounter.getClass_().hasDisplay()
                                ? encounter.getClass_().getDisplay()
                                : "encounter";
        return date + ", " + kind;
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
