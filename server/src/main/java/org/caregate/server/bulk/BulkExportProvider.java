package org.caregate.server.bulk;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.caregate.consent.Decision;
import org.caregate.server.security.EffectiveAccess;
import org.caregate.server.security.Messages;
import org.caregate.server.security.PatientPanels;
import org.caregate.server.security.RequestLocale;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;

/**
 * The Bulk Data kick-off requests (Bulk Data Access IG 2.0): {@code [base]/$export}, {@code [base]/Patient/$export}
 * and {@code [base]/Group/[id]/$export}, GET or POST. A request that passes {@link ExportRequestParser} becomes an
 * export job with the patients the consent rules permit the client's organisation now (its transaction time), and
 * is answered 202 with the status URL in {@code Content-Location} ({@link BulkDataController}).
 */
public final class BulkExportProvider {

    private final ExportRequestParser parser;
    private final ExportJobs jobs;
    private final OrganizationGroups organizationGroups;
    private final DaoRegistry daoRegistry;
    private final FhirContext fhirContext;
    private final SmartAuthUrls urls;
    private final Clock clock;

    BulkExportProvider(
            ExportRequestParser parser,
            ExportJobs jobs,
            OrganizationGroups organizationGroups,
            DaoRegistry daoRegistry,
            FhirContext fhirContext,
            SmartAuthUrls urls,
            Clock clock) {
        this.parser = parser;
        this.jobs = jobs;
        this.organizationGroups = organizationGroups;
        this.daoRegistry = daoRegistry;
        this.fhirContext = fhirContext;
        this.urls = urls;
        this.clock = clock;
    }

    @Operation(name = "$export", idempotent = true, manualRequest = true, manualResponse = true)
    public void exportSystem(ServletRequestDetails request) {
        kickOff(request, ExportLevel.SYSTEM, Optional.empty());
    }

    @Operation(name = "$export", type = Patient.class, idempotent = true, manualRequest = true, manualResponse = true)
    public void exportPatients(ServletRequestDetails request) {
        kickOff(request, ExportLevel.PATIENT, Optional.empty());
    }

    @Operation(name = "$export", type = Group.class, idempotent = true, manualRequest = true, manualResponse = true)
    public void exportGroup(@IdParam IdType group, ServletRequestDetails request) {
        kickOff(request, ExportLevel.GROUP, Optional.of(group.getIdPart()));
    }

    private void kickOff(ServletRequestDetails request, ExportLevel level, Optional<String> groupId) {
        EffectiveAccess access = EffectiveAccess.find(request)
                .orElseThrow(() -> new AuthenticationException("A Bulk Data export needs an access token."));
        ExportRequest export = parser.parse(request, level, groupId, access);
        String organization = access.context().token().clientOrganization().orElseThrow();
        Set<String> permitted = access.reachablePatients();
        List<String> notes = new ArrayList<>();
        Set<String> selected = switch (level) {
            case SYSTEM -> permitted;
            case PATIENT -> named(export.patients(), permitted, access, request, Optional.empty());
            case GROUP -> groupMembers(groupId.orElseThrow(), organization, permitted, export, access, request, notes);
        };
        if (level == ExportLevel.SYSTEM
                || (level == ExportLevel.PATIENT && export.patients().isEmpty())) {
            refusedNote(access).ifPresent(notes::add);
        }
        Instant now = clock.instant();
        ExportJob job = new ExportJob(
                UUID.randomUUID(),
                access.context().token().clientId(),
                organization,
                export,
                List.copyOf(notes),
                now,
                ExportJob.Status.ACCEPTED,
                Optional.empty(),
                0,
                Optional.empty(),
                now,
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        jobs.create(job, selected, permitted);
        accepted(request.getServletResponse(), job);
    }

    private Set<String> groupMembers(
            String groupId,
            String organization,
            Set<String> permitted,
            ExportRequest export,
            EffectiveAccess access,
            ServletRequestDetails request,
            List<String> notes) {
        Set<String> members;
        if (groupId.equals(OrganizationGroups.idFor(organization))) {
            organizationGroups.refresh(organization, permitted);
            members = permitted;
            refusedNote(access).ifPresent(notes::add);
        } else {
            Group group = OrganizationGroups.read(
                            daoRegistry.getResourceDao(Group.class), groupId, new SystemRequestDetails())
                    .filter(found -> !PatientPanels.isInternal(found))
                    .orElseThrow(() -> new ResourceNotFoundException("Group/" + groupId + " is not known. Your "
                            + "organisation's patients are Group/" + OrganizationGroups.idFor(organization) + "."));
            members = OrganizationGroups.membersOf(group);
            if (!permitted.containsAll(members)) {
                throw new ForbiddenOperationException(Messages.deniedByRule(
                        RequestLocale.of(request),
                        "every patient permitted",
                        "Group/" + groupId + " has members whose records your organisation may not see, so it cannot "
                                + "be exported; export Group/" + OrganizationGroups.idFor(organization) + "."));
            }
        }
        return export.patients().isEmpty()
                ? members
                : named(export.patients(), permitted, access, request, Optional.of(members));
    }

    private static Set<String> named(
            List<String> patients,
            Set<String> permitted,
            EffectiveAccess access,
            ServletRequestDetails request,
            Optional<Set<String>> members) {
        if (patients.isEmpty()) {
            return permitted;
        }
        Locale locale = RequestLocale.of(request);
        Set<String> named = new LinkedHashSet<>();
        for (String patient : patients) {
            if (!permitted.contains(patient)) {
                Decision decision = access.decide(patient);
                throw new ForbiddenOperationException(Messages.deniedByRule(
                        locale, decision.rule(), "Patient/" + patient + ": " + decision.reason(locale)));
            }
            if (members.isPresent() && !members.get().contains(patient)) {
                throw new InvalidRequestException("Patient/" + patient + " is not a member of this group.");
            }
            named.add(patient);
        }
        return named;
    }

    /** How many of the organisation's patients the consent rules refuse it, if any (never who). */
    private static Optional<String> refusedNote(EffectiveAccess access) {
        long refused = access.consent().decisions().values().stream()
                .filter(decision -> !decision.isPermit())
                .count();
        return refused == 0
                ? Optional.empty()
                : Optional.of(refused + " patient(s) known to your organisation are not in this "
                        + "export: the consent rules do not permit it their records now (for example, they opted "
                        + "out or the care relationship ended).");
    }

    private void accepted(HttpServletResponse response, ExportJob job) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics("Export accepted. Poll " + statusUrl(job.id()) + " with your access token for its "
                        + "status; DELETE it to cancel.");
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
        response.setHeader("Content-Location", statusUrl(job.id()));
        response.setContentType("application/fhir+json;charset=UTF-8");
        try {
            response.getOutputStream()
                    .write(fhirContext
                            .newJsonParser()
                            .encodeResourceToString(outcome)
                            .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String statusUrl(UUID job) {
        return urls.url(BulkDataController.STATUS + job);
    }
}
