package org.caregate.smart.authserver.context;

import java.time.Instant;
import java.util.List;
import org.caregate.smart.authserver.user.UserAccount;

/**
 * Which patients a user may reach, as the authorization server needs to know it. The server module implements it
 * from FHIR data and the consent rules, and declares it as a bean; the authorization server never decides access to
 * a patient by itself.
 *
 * <p>Both methods are called with the current instant of the injected {@code Clock}, so that ages (e.g. the 12th
 * birthday that ends a guardian's access) are evaluated on the day of the request.
 */
public interface PatientAccessDirectory {

    /**
     * Patients this user (fhirUser like {@code RelatedPerson/rp-garcia-for-4}, {@code Patient/pat-adult-alice},
     * {@code Practitioner/prac-north-gp}) may pick now, for the standalone patient picker and the EHR-launch portal.
     */
    List<PatientChoice> permittedPatients(UserAccount user, Instant now);

    /**
     * Whether the user may still access the patient now; the reason/rule for a refusal. Called when the user picks
     * a patient, when a token is issued, and on every refresh-token grant.
     */
    AccessCheck checkAccess(UserAccount user, String patientId, Instant now);
}
