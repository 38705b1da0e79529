package org.caregate.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationFlagsEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IRuleApplier;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.caregate.consent.Decision;
import org.caregate.smart.scope.Interaction;
import org.caregate.smart.scope.ResourceScope;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseParameters;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

/**
 * Step 3: HAPI's authorization rules, built per request from the token's scopes and the patients consent permits
 * now. Every read, write and every resource in every response (includes, paging, history, $everything, batch
 * entries) is checked against them; anything no rule allows is denied.
 *
 * <ul>
 *   <li>a scope on a Patient-compartment type reaches only the compartments of the permitted patients
 *       ({@code patient/}: the launch patient, if consent still permits them; {@code user/}: the patients consent
 *       permits the user; {@code system/}: the organisation's patients);</li>
 *   <li>a scope on a type outside the Patient compartment (Practitioner, Organization, Medication, Questionnaire,
 *       ...) reads any instance: these describe the care system, not a patient ({@link ResourcePlacement}; a type
 *       the placement does not know is refused).</li>
 * </ul>
 *
 * <p>A denial names the consent rule that refused the patient, in the caller's language, where one did.
 */
public final class SmartAuthorizationInterceptor extends AuthorizationInterceptor {

    /** The name of a CareGate rule that denied, for the denial's text (HAPI keeps a verdict's rule to itself). */
    static final String DENYING_RULE = SmartAuthorizationInterceptor.class.getName() + ".denyingRule";

    private static final Pattern LOGICAL_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final FhirContext fhirContext;

    public SmartAuthorizationInterceptor(FhirContext fhirContext) {
        super(PolicyEnum.DENY);
        this.fhirContext = fhirContext;
        // searches are narrowed to the permitted patients in the query (PatientSearchNarrowingInterceptor), also
        // when that takes another form than a patient parameter; every resource of every response is checked
        setFlags(AuthorizationFlagsEnum.DO_NOT_PROACTIVELY_BLOCK_COMPARTMENT_READ_ACCESS);
    }

    /**
     * The rules of this request, in the order they apply (the first rule with a verdict decides):
     * <ol>
     * <li>metadata is public;</li>
     * <li>history at type and system level is refused ({@link HistoryAcrossPatientsRule});</li>
     * <li>the hospital's EHR feed: its scopes on every record, and nothing else ({@link EhrFeedRules});</li>
     * <li>a site administrator reads their organisation's audit trail, and is refused another's
     * ({@link SiteAdministratorAuditTrail});</li>
     * <li>a resource of a patient the scope does not reach is refused ({@link EveryOwnerPermittedRule});</li>
     * <li>an empty search result is no data ({@link EmptySearchResultRule});</li>
     * <li>each scope of the token, over the patients it reaches ({@link EffectiveAccess#grants()});</li>
     * <li>batch and transaction entries by the rules above, their outcomes, $everything of a reached patient, Bulk
     * Data kick-off requests (checked by the exporter);</li>
     * <li>everything else is refused.</li>
     * </ol>
     */
    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        request.getUserData().remove(DENYING_RULE); // a new decision: forget the rule that refused an earlier one
        List<IAuthRule> built =
                new ArrayList<>(new RuleBuilder().allow("metadata").metadata().build());
        EffectiveAccess access = EffectiveAccess.find(request).orElse(null);
        if (access == null) {
            built.addAll(new RuleBuilder().denyAll("no access token").build());
            return built;
        }
        built.add(new HistoryAcrossPatientsRule());
        if (access.isEhrFeed()) {
            built.addAll(EhrFeedRules.of(access));
            return built;
        }
        SiteAdministratorAuditTrail.otherOrganisationsTrail(access).ifPresent(built::add);
        SiteAdministratorAuditTrail.rule(access).ifPresent(built::add);
        built.add(new EveryOwnerPermittedRule(access));
        built.add(new EmptySearchResultRule());
        for (EffectiveAccess.Grant grant : access.grants()) {
            addRules(built, grant);
        }
        RuleBuilder rules = new RuleBuilder();
        rules.allow("transaction and batch: each entry by the rules above")
                .transaction()
                .withAnyOperation()
                .andApplyNormalRules();
        // a batch response carries the outcome of each refused entry; without this the whole batch was refused
        rules.allow("outcomes of batch entries")
                .read()
                .resourcesOfType("OperationOutcome")
                .withAnyId();
        IIdType target = request.getId();
        if ("$everything".equals(request.getOperation())
                && target != null
                && target.hasIdPart()
                && access.patientsFor("Patient", Interaction.READ).contains(target.getIdPart())) {
            rules.allow("Patient $everything of a permitted patient")
                    .operation()
                    .named("$everything")
                    .onInstances(List.of(new IdType("Patient", target.getIdPart())))
                    .andRequireExplicitResponseAuthorization();
        }
        if ("$export".equals(request.getOperation())) {
            // a kick-off answers 202 or an OperationOutcome, never data: the exporter refuses tokens without system
            // scopes and exports only what the consent rules permit (bulk.ExportRequestParser, bulk.Exporter)
            String name = "Bulk Data kick-off, checked by the exporter";
            rules.allow(name).operation().named("$export").onServer().andAllowAllResponses();
            rules.allow(name).operation().named("$export").onType(Patient.class).andAllowAllResponses();
            rules.allow(name)
                    .operation()
                    .named("$export")
                    .onInstancesOfType(Group.class)
                    .andAllowAllResponses();
        }
        rules.denyAll("deny by default");
        built.addAll(rules.build());
        return built;
    }

    /**
     * A search entry of a batch that finds nothing answers with an empty searchset, which HAPI then checks as a
     * resource of type Bundle (no rule allows that type: the whole batch was refused). It holds no data.
     */
    private static final class EmptySearchResultRule implements IAuthRule {

        @Override
        public Verdict applyRule(
                RestOperationTypeEnum operation,
                RequestDetails request,
                IBaseResource input,
                IIdType inputId,
                IBaseResource output,
                IRuleApplier applier,
                Set<AuthorizationFlagsEnum> flags,
                Pointcut pointcut) {
            return output instanceof Bundle bundle
                            && bundle.getType() == Bundle.BundleType.SEARCHSET
                            && bundle.getEntry().isEmpty()
                    ? new Verdict(PolicyEnum.ALLOW, this)
                    : null;
        }

        @Override
        public String getName() {
            return "empty search result";
        }
    }

    /**
     * A resource in several Patient compartments is shown or written only if every one of those patients is
     * permitted. HAPI's compartment rules allow it as soon as one is: a Coverage whose subscriber is a parent and
     * whose beneficiary is her 13-year-old is in both compartments, and {@code Patient?_revinclude=Coverage:subscriber}
     * showed the teenager's Coverage to the parent.
     */
    private static final class EveryOwnerPermittedRule implements IAuthRule {

        private final EffectiveAccess access;

        EveryOwnerPermittedRule(EffectiveAccess access) {
            this.access = access;
        }

        @Override
        public Verdict applyRule(
                RestOperationTypeEnum operation,
                RequestDetails request,
                IBaseResource input,
                IIdType inputId,
                IBaseResource output,
                IRuleApplier applier,
                Set<AuthorizationFlagsEnum> flags,
                Pointcut pointcut) {
            IBaseResource resource = output != null ? output : input;
            if (resource == null || resource instanceof IBaseBundle || resource instanceof IBaseParameters) {
                return null;
            }
            Interaction interaction = output != null ? Interaction.READ : interactionOf(operation);
            Set<String> reached = access.patientsFor(resource.fhirType(), interaction);
            if (reached.containsAll(PatientOwners.of(request, resource))) {
                return null;
            }
            request.getUserData().put(DENYING_RULE, getName());
            return new Verdict(PolicyEnum.DENY, this);
        }

        @Override
        public String getName() {
            return "every patient permitted";
        }
    }

    private static Interaction interactionOf(RestOperationTypeEnum operation) {
        return switch (operation) {
            case CREATE -> Interaction.CREATE;
            case UPDATE, PATCH -> Interaction.UPDATE;
            case DELETE -> Interaction.DELETE;
            default -> Interaction.READ;
        };
    }

    /**
     * History at type and system level ({@code Observation/_history}, {@code /_history}) cannot be narrowed to the
     * permitted patients: its {@code total} counts every patient's versions and a first page that happens to hold
     * only permitted resources would be shown. Instance history is checked like a read.
     */
    private static final class HistoryAcrossPatientsRule implements IAuthRule {

        @Override
        public Verdict applyRule(
                RestOperationTypeEnum operation,
                RequestDetails request,
                IBaseResource input,
                IIdType inputId,
                IBaseResource output,
                IRuleApplier applier,
                Set<AuthorizationFlagsEnum> flags,
                Pointcut pointcut) {
            if (operation != RestOperationTypeEnum.HISTORY_TYPE && operation != RestOperationTypeEnum.HISTORY_SYSTEM) {
                return null;
            }
            request.getUserData().put(DENYING_RULE, getName());
            return new Verdict(PolicyEnum.DENY, this);
        }

        @Override
        public String getName() {
            return "history across patients";
        }
    }

    private void addRules(List<IAuthRule> rules, EffectiveAccess.Grant grant) {
        ResourceScope scope = grant.scope();
        String name = "scope " + scope.value();
        String type = scope.resourceType();
        Set<Interaction> interactions = scope.interactions();
        if (interactions.contains(Interaction.READ) || interactions.contains(Interaction.SEARCH)) {
            // reads also reach the compartment nobody is in: a search narrowed to it finds nothing instead of a 403
            Set<String> readable = new HashSet<>(grant.patients());
            readable.add(PatientSearchNarrowingInterceptor.NO_PATIENT);
            addCompartmentRule(rules, name, PermittedCompartmentRule.Op.READ, type, readable);
            if (scope.isWildcard()) {
                for (String careSystemType : ResourcePlacement.publicTypes()) {
                    rules.addAll(new RuleBuilder()
                            .allow(name)
                            .read()
                            .resourcesOfType(careSystemType)
                            .withAnyId()
                            .build());
                }
            } else if (ResourcePlacement.of(fhirContext, type)
                    .filter(placement -> placement != ResourcePlacement.PATIENT_COMPARTMENT)
                    .isPresent()) {
                // a type outside the Patient compartment: any instance, unless it refers to a patient the scope
                // does not reach ("every patient permitted" comes first)
                rules.addAll(new RuleBuilder()
                        .allow(name)
                        .read()
                        .resourcesOfType(type)
                        .withAnyId()
                        .build());
            }
        }
        if (interactions.contains(Interaction.CREATE)) {
            addCompartmentRule(rules, name, PermittedCompartmentRule.Op.CREATE, type, grant.patients());
        }
        if (interactions.contains(Interaction.UPDATE)) {
            addCompartmentRule(rules, name, PermittedCompartmentRule.Op.WRITE, type, grant.patients());
            // a PATCH request may proceed; the patched resource is then checked against the write rules above
            // before it is stored (HAPI checks every update at STORAGE_PRESTORAGE_RESOURCE_UPDATED)
            rules.addAll(new RuleBuilder().allow(name).patch().allRequests().build());
        }
        if (interactions.contains(Interaction.DELETE)) {
            addCompartmentRule(rules, name, PermittedCompartmentRule.Op.DELETE, type, grant.patients());
        }
    }

    private void addCompartmentRule(
            List<IAuthRule> rules, String name, PermittedCompartmentRule.Op op, String type, Set<String> patients) {
        if (patients.isEmpty() || !("*".equals(type) || inPatientCompartment(type))) {
            return;
        }
        rules.add(new PermittedCompartmentRule(name, op, type, patients));
    }

    private boolean inPatientCompartment(String resourceType) {
        if ("Patient".equals(resourceType)) {
            return true;
        }
        RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(resourceType);
        return !definition.getSearchParamsForCompartmentName("Patient").isEmpty();
    }

    @Override
    protected void handleDeny(RequestDetails request, Verdict verdict) {
        Locale locale = RequestLocale.of(request);
        EffectiveAccess access = EffectiveAccess.find(request).orElse(null);
        String patientId = targetPatient(request);
        if (access != null && patientId != null && !access.reachablePatients().contains(patientId)) {
            Decision decision = access.decide(patientId);
            if (!decision.isPermit()) {
                throw new ForbiddenOperationException(
                        Messages.deniedByRule(locale, decision.rule(), decision.reason(locale)));
            }
            throw new ForbiddenOperationException(Messages.patientNotPermitted(locale));
        }
        Object rule = request.getUserData().getOrDefault(DENYING_RULE, "deny by default");
        throw new ForbiddenOperationException(Messages.deniedByDefault(locale, rule.toString()));
    }

    /** The patient a request is about, when its URL says so (Patient/x, or a compartment search parameter). */
    private static String targetPatient(RequestDetails request) {
        if ("Patient".equals(request.getResourceName())
                && request.getId() != null
                && request.getId().hasIdPart()) {
            return request.getId().getIdPart();
        }
        for (String parameter : List.of("patient", "subject", "beneficiary")) {
            String[] values = request.getParameters().get(parameter);
            if (values != null && values.length == 1) {
                String value = values[0].startsWith("Patient/") ? values[0].substring("Patient/".length()) : values[0];
                // one logical id only: search narrowing leaves a comma list of the permitted patients here
                if (LOGICAL_ID.matcher(value).matches()) {
                    return value;
                }
            }
        }
        return null;
    }

    static String describe(Set<String> ids) {
        return ids.stream().sorted().collect(Collectors.joining(", "));
    }
}
