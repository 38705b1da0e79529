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
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOp;
import ca.uhn.fhir.rest.server.interceptor.auth.IRuleApplier;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.caregate.consent.Decision;
import org.caregate.smart.scope.Interaction;
import org.caregate.smart.scope.ResourceScope;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseParameters;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;

/**
 * Step 3: HAPI's authorization rules, built per request from the token's scopes and the patients consent permits
 * now. Every read, write and every resource in every response (includes, paging, history, $everything, batch
 * entries) is checked against them; anything no rule allows is denied.
 *
 * <ul>
 *   <li>a scope on a Patient-compartment type reaches only the compartments of the permitted patients
 *       ({@code patient/}: the launch patient, if consent still permits them; {@code user/}: the patients consent
 *       permits the user; {@code system/}: the organisation's patients);</li>
 *   <li>a scope on a type outside the Patient compartment (Practitioner, Organization, Medication, ...) reads any
 *       instance: these describe the care system, not a patient.</li>
 * </ul>
 *
 * <p>A denial names the consent rule that refused the patient, in the caller's language, where one did.
 */
public final class SmartAuthorizationInterceptor extends AuthorizationInterceptor {

    /** The name of a CareGate rule that denied, for the denial's text (HAPI keeps a verdict's rule to itself). */
    private static final String DENYING_RULE = SmartAuthorizationInterceptor.class.getName() + ".denyingRule";
    private static final Pattern LOGICAL_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final FhirContext fhirContext;
    private final PermittedPatients permittedPatients;

    public SmartAuthorizationInterceptor(FhirContext fhirContext, PermittedPatients permittedPatients) {
        super(PolicyEnum.DENY);
        this.fhirContext = fhirContext;
        this.permittedPatients = permittedPatients;
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        request.getUserData().remove(DENYING_RULE); // a new decision: forget the rule that refused an earlier one
        RuleBuilder rules = new RuleBuilder();
        rules.allow("metadata").metadata();
        AccessContext context = AccessContext.find(request).orElse(null);
        if (context == null) {
            rules.denyAll("no access token");
            return rules.build();
        }
        List<IIdType> compartments = permittedPatients.of(context).stream()
                .map(id -> (IIdType) new IdType("Patient", id))
                .toList();
        // reads also reach the compartment nobody is in: a search narrowed to it finds nothing instead of a 403
        List<IIdType> readable = Stream.concat(compartments.stream(),
                Stream.of(new IdType("Patient", PatientSearchNarrowingInterceptor.NO_PATIENT))).toList();
        for (ResourceScope scope : context.token().scopes().resourceScopes()) {
            addRules(rules, scope, readable, compartments);
        }
        rules.allow("transaction and batch: each entry by the rules above").transaction().withAnyOperation()
                .andApplyNormalRules();
        // a batch response carries the outcome of each refused entry; without this the whole batch was refused
        rules.allow("outcomes of batch entries").read().resourcesOfType("OperationOutcome").withAnyId();
        if (!compartments.isEmpty() && context.token().scopes().permits(scopeContextOf(context), "Patient", Interaction.READ)) {
            rules.allow("Patient $everything of a permitted patient").operation().named("$everything")
                    .onInstances(compartments).andRequireExplicitResponseAuthorization();
        }
        rules.denyAll("deny by default");
        List<IAuthRule> built = new ArrayList<>(rules.build());
        built.add(1, new HistoryAcrossPatientsRule());
        built.add(2, new EveryOwnerPermittedRule(permittedPatients.of(context)));
        built.add(3, new EmptySearchResultRule());
        // before "every patient permitted": the trail names the patients looked at, which is what it is for
        SiteAdministratorAuditTrail.rule(context).ifPresent(rule -> built.add(2, rule));
        return built;
    }

    /**
     * A search entry of a batch that finds nothing answers with an empty searchset, which HAPI then checks as a
     * resource of type Bundle (no rule allows that type: the whole batch was refused). It holds no data.
     */
    private static final class EmptySearchResultRule implements IAuthRule {

        @Override
        public Verdict applyRule(RestOperationTypeEnum operation, RequestDetails request, IBaseResource input,
                IIdType inputId, IBaseResource output, IRuleApplier applier, Set<AuthorizationFlagsEnum> flags,
                Pointcut pointcut) {
            return output instanceof Bundle bundle && bundle.getType() == Bundle.BundleType.SEARCHSET
                    && bundle.getEntry().isEmpty() ? new Verdict(PolicyEnum.ALLOW, this) : null;
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
    private final class EveryOwnerPermittedRule implements IAuthRule {

        private final Set<String> permitted;

        EveryOwnerPermittedRule(Set<String> permitted) {
            this.permitted = permitted;
        }

        @Override
        public Verdict applyRule(RestOperationTypeEnum operation, RequestDetails request, IBaseResource input,
                IIdType inputId, IBaseResource output, IRuleApplier applier, Set<AuthorizationFlagsEnum> flags,
                Pointcut pointcut) {
            IBaseResource resource = output != null ? output : input;
            if (resource == null || resource instanceof IBaseBundle || resource instanceof IBaseParameters
                    || !inPatientCompartment(fhirContext.getResourceType(resource))) {
                return null;
            }
            // the compartment's search parameters also reach other types (Observation.performer: a Practitioner)
            boolean foreign = fhirContext.newTerser().getCompartmentOwnersForResource("Patient", resource, Set.of())
                    .stream().filter(owner -> "Patient".equals(owner.getResourceType()))
                    .anyMatch(owner -> !permitted.contains(owner.getIdPart()));
            if (!foreign) {
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

    /**
     * History at type and system level ({@code Observation/_history}, {@code /_history}) cannot be narrowed to the
     * permitted patients: its {@code total} counts every patient's versions and a first page that happens to hold
     * only permitted resources would be shown. Instance history is checked like a read.
     */
    private static final class HistoryAcrossPatientsRule implements IAuthRule {

        @Override
        public Verdict applyRule(RestOperationTypeEnum operation, RequestDetails request, IBaseResource input,
                IIdType inputId, IBaseResource output, IRuleApplier applier, Set<AuthorizationFlagsEnum> flags,
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

    private static org.caregate.smart.scope.ScopeContext scopeContextOf(AccessContext context) {
        return context.token().scopes().resourceScopes().stream().map(ResourceScope::context).findFirst()
                .orElse(org.caregate.smart.scope.ScopeContext.PATIENT);
    }

    private void addRules(RuleBuilder rules, ResourceScope scope, List<IIdType> readable, List<IIdType> compartments) {
        String name = "scope " + scope.value();
        Set<Interaction> interactions = scope.interactions();
        if (interactions.contains(Interaction.READ) || interactions.contains(Interaction.SEARCH)) {
            addRule(rules.allow(name).read(), scope.resourceType(), readable, rules, name, RuleKind.READ);
        }
        if (interactions.contains(Interaction.CREATE)) {
            addRule(rules.allow(name).create(), scope.resourceType(), compartments, rules, name, RuleKind.WRITE);
        }
        if (interactions.contains(Interaction.UPDATE)) {
            addRule(rules.allow(name).write(), scope.resourceType(), compartments, rules, name, RuleKind.WRITE);
            // a PATCH request may proceed; the patched resource is then checked against the write rules above
            // before it is stored (HAPI checks every update at STORAGE_PRESTORAGE_RESOURCE_UPDATED)
            rules.allow(name).patch().allRequests();
        }
        if (interactions.contains(Interaction.DELETE)) {
            if (!compartments.isEmpty()) {
                if (scope.isWildcard()) {
                    rules.allow(name).delete().allResources().inCompartment("Patient", compartments);
                } else if (inPatientCompartment(scope.resourceType())) {
                    rules.allow(name).delete().resourcesOfType(scope.resourceType()).inCompartment("Patient", compartments);
                }
            }
        }
    }

    private enum RuleKind { READ, WRITE }

    private void addRule(IAuthRuleBuilderRuleOp op, String resourceType, List<IIdType> compartments, RuleBuilder rules,
            String name, RuleKind kind) {
        if ("*".equals(resourceType)) {
            if (!compartments.isEmpty()) {
                op.allResources().inCompartment("Patient", compartments);
            }
            if (kind == RuleKind.READ) {
                for (String type : careSystemTypes()) {
                    rules.allow(name).read().resourcesOfType(type).withAnyId();
                }
            }
        } else if (inPatientCompartment(resourceType)) {
            if (!compartments.isEmpty()) {
                op.resourcesOfType(resourceType).inCompartment("Patient", compartments);
            }
        } else if (kind == RuleKind.READ) {
            op.resourcesOfType(resourceType).withAnyId();
        }
    }

    private Set<String> careSystemTypes() {
        return Set.of("Practitioner", "PractitionerRole", "Organization", "Location", "Medication");
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
        AccessContext context = AccessContext.find(request).orElse(null);
        String patientId = targetPatient(request);
        if (context != null && patientId != null && !permittedPatients.of(context).contains(patientId)) {
            Decision decision = permittedPatients.decide(context, patientId).orElse(null);
            if (decision != null && !decision.isPermit()) {
                throw new ForbiddenOperationException(Messages.deniedByRule(locale, decision.rule(), decision.reason(locale)));
            }
            throw new ForbiddenOperationException(Messages.patientNotPermitted(locale));
        }
        Object rule = request.getUserData().getOrDefault(DENYING_RULE, "deny by default");
        throw new ForbiddenOperationException(Messages.deniedByDefault(locale, rule.toString()));
    }

    /** The patient a request is about, when its URL says so (Patient/x, or a compartment search parameter). */
    private static String targetPatient(RequestDetails request) {
        if ("Patient".equals(request.getResourceName()) && request.getId() != null && request.getId().hasIdPart()) {
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
