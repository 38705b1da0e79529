package org.caregate.server.portal.patients;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Clock;
import org.caregate.server.portal.PortalAccountFilter;
import org.caregate.server.portal.PortalRefusal;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.authserver.context.AccessCheck;
import org.caregate.smart.authserver.context.LaunchContextService;
import org.caregate.smart.authserver.context.PatientAccessDirectory;
import org.caregate.smart.authserver.user.UserAccount;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.view.RedirectView;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The provider portal, for practitioners and office staff: the patients the consent rules permit them now, and an
 * EHR launch of a registered app for one of them (SMART App Launch 2.2, "EHR launch": the portal redirects the
 * browser to the app's launch URL with {@code iss} and an opaque {@code launch}).
 */
@Controller
class ProviderPortalController {

    private final PatientListResolver patients;
    private final LaunchableApps apps;
    private final PatientAccessDirectory directory;
    private final LaunchContextService launchContexts;
    private final SmartAuthUrls urls;
    private final Clock clock;
    private final DaoRegistry daoRegistry;

    ProviderPortalController(
            PatientListResolver patients,
            LaunchableApps apps,
            PatientAccessDirectory directory,
            LaunchContextService launchContexts,
            SmartAuthUrls urls,
            Clock clock,
            DaoRegistry daoRegistry) {
        this.patients = patients;
        this.daoRegistry = daoRegistry;
        this.apps = apps;
        this.directory = directory;
        this.launchContexts = launchContexts;
        this.urls = urls;
        this.clock = clock;
    }

    @GetMapping("/portal/patients")
    String list(@RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount account, Model model) {
        model.addAttribute("account", account);
        model.addAttribute("patients", patients.permittedPatients(account, clock.instant()));
        model.addAttribute("apps", apps.all());
        return "portal/patients";
    }

    /**
     * Creates a launch context for this user, patient and app (single use, short-lived, redeemable by that client
     * only) and sends the browser to the app's launch URL. Refused with 403, naming the rule, for a patient the
     * consent rules do not permit this user now.
     */
    @PostMapping("/portal/patients/{patientId}/launch")
    RedirectView launch(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount account,
            @PathVariable String patientId,
            @RequestParam("app") String clientId,
            @RequestParam(value = "encounter", required = false) String encounterId) {
        LaunchableApp app = apps.find(clientId)
                .orElseThrow(() -> PortalRefusal.notFound(
                        "Unknown app", "No app with client id '" + clientId + "' can be launched from the portal."));
        AccessCheck access = directory.checkAccess(account, patientId, clock.instant());
        if (!access.permitted()) {
            throw PortalRefusal.forbiddenByRule(
                    "You may not open this patient's record", access.reason(), access.rule());
        }
        String encounter = encounterId == null || encounterId.isBlank() ? null : encounterOf(patientId, encounterId);
        String launch = launchContexts.create(account.username(), app.clientId(), patientId, encounter);
        String location = UriComponentsBuilder.fromUriString(app.launchUrl())
                .queryParam("iss", urls.fhirBaseUrl())
                .queryParam("launch", launch)
                .encode()
                .build()
                .toUriString();
        RedirectView redirect = new RedirectView(location);
        redirect.setStatusCode(HttpStatus.SEE_OTHER);
        return redirect;
    }

    /** The encounter to launch with: it must exist and be this patient's, else 400. */
    private String encounterOf(String patientId, String encounterId) {
        try {
            Encounter encounter = daoRegistry
                    .getResourceDao(Encounter.class)
                    .read(new IdType("Encounter", encounterId), new SystemRequestDetails());
            if (patientId.equals(encounter.getSubject().getReferenceElement().getIdPart())) {
                return encounter.getIdElement().getIdPart();
            }
        } catch (ResourceNotFoundException | ResourceGoneException | InvalidRequestException e) {
            // refused below, with the same answer as another patient's encounter
        }
        throw PortalRefusal.badRequest(
                "Unknown encounter", "The chosen encounter is not one of this patient's; choose one from the list.");
    }
}
