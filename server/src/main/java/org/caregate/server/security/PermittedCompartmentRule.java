package org.caregate.server.security;

import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.QualifiedParamList;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationFlagsEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOp;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifier;
import ca.uhn.fhir.rest.server.interceptor.auth.IRuleApplier;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseParameters;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;

/**
 * One scope's access to the Patient compartments of the patients it reaches, with HAPI's own compartment semantics
 * at a cost that does not grow with the number of patients.
 *
 * <p>HAPI's compartment rule tries every permitted patient in turn on every resource it checks (a FHIRPath walk
 * each): for a provider with 10,000 patients, 10,000 walks per resource shown. This rule first finds the few
 * patients the request or resource is about ({@link PatientOwners}, the ids named in the URL), keeps those the scope
 * reaches, and lets HAPI's rule for just those decide. Anything HAPI would refuse with the whole list it refuses
 * with the short one, since a resource can only be in the compartments of the patients it names.
 */
final class PermittedCompartmentRule implements IAuthRule {

    /** Which HAPI rule to apply. */
    enum Op {
        READ,
        CREATE,
        WRITE,
        DELETE
    }

    /** An id no resource refers to: the rule for "none of the patients this scope reaches". */
    private static final String NOBODY = "caregate-nobody";

    private final String name;
    private final Op op;
    private final String resourceType;
    private final Set<String> patients;
    private final Map<Set<String>, IAuthRule> rules = new HashMap<>();

    PermittedCompartmentRule(String name, Op op, String resourceType, Set<String> patients) {
        this.name = name;
        this.op = op;
        this.resourceType = resourceType;
        this.patients = patients;
    }

    @Override
    public AuthorizationInterceptor.Verdict applyRule(
            RestOperationTypeEnum operation,
            RequestDetails request,
            IBaseResource input,
            IIdType inputId,
            IBaseResource output,
            IRuleApplier applier,
            Set<AuthorizationFlagsEnum> flags,
            Pointcut pointcut) {
        if (op == Op.READ && "*".equals(resourceType)) {
            AuthorizationInterceptor.Verdict outsideCompartment =
                    outsideTheCompartment(request, input, inputId, output);
            if (outsideCompartment != null) {
                return outsideCompartment;
            }
        }
        Set<String> reached = new LinkedHashSet<>();
        for (String patient : concerned(request, input, inputId, output)) {
            if (patients.contains(patient)) {
                reached.add(patient);
            }
        }
        return ruleFor(reached).applyRule(operation, request, input, inputId, output, applier, flags, pointcut);
    }

    @Override
    public String getName() {
        return name;
    }

    /**
     * A wildcard read scope also reaches the records of its patients whose type the R4 Patient compartment leaves
     * out (a {@code Binary} whose {@code securityContext} is the patient, a {@code Task} for them): allowed when the
     * resource names patients and all of them are reached; let through before the resource is known (a read of such
     * a type is then checked on its way out, by these same rules).
     */
    private AuthorizationInterceptor.Verdict outsideTheCompartment(
            RequestDetails request, IBaseResource input, IIdType inputId, IBaseResource output) {
        IBaseResource resource = output != null ? output : input;
        if (resource != null) {
            if (resource instanceof IBaseBundle
                    || resource instanceof IBaseParameters
                    || inPatientCompartment(request, resource.fhirType())) {
                return null;
            }
            Set<String> owners = PatientOwners.of(request, resource);
            return !owners.isEmpty() && patients.containsAll(owners)
                    ? new AuthorizationInterceptor.Verdict(PolicyEnum.ALLOW, this)
                    : null;
        }
        String type =
                inputId != null && inputId.hasResourceType() ? inputId.getResourceType() : request.getResourceName();
        boolean readOfSuchAType = type != null
                && request.getFhirContext().getResourceTypes().contains(type)
                && !inPatientCompartment(request, type)
                && inputId != null
                && inputId.hasIdPart();
        return readOfSuchAType ? new AuthorizationInterceptor.Verdict(PolicyEnum.ALLOW, this) : null;
    }

    private static boolean inPatientCompartment(RequestDetails request, String type) {
        return "Patient".equals(type)
                || !request.getFhirContext()
                        .getResourceDefinition(type)
                        .getSearchParamsForCompartmentName("Patient")
                        .isEmpty();
    }

    /** The patients a check is about: the resource's owners, else the patients its URL names. */
    private static Set<String> concerned(
            RequestDetails request, IBaseResource input, IIdType inputId, IBaseResource output) {
        IBaseResource resource = output != null ? output : input;
        if (resource != null && !(resource instanceof IBaseBundle) && !(resource instanceof IBaseParameters)) {
            return PatientOwners.of(request, resource);
        }
        Set<String> named = new LinkedHashSet<>();
        if (inputId != null && "Patient".equals(inputId.getResourceType()) && inputId.hasIdPart()) {
            named.add(inputId.getIdPart());
        }
        String type = request.getResourceName();
        if (type != null
                && request.getFhirContext().getResourceTypes().contains(type)
                && request.getParameters() != null) {
            List<String> names = new ArrayList<>();
            if ("Patient".equals(type)) {
                names.add("_id");
            } else {
                request
                        .getFhirContext()
                        .getResourceDefinition(type)
                        .getSearchParamsForCompartmentName("Patient")
                        .stream()
                        .map(RuntimeSearchParam::getName)
                        .forEach(names::add);
            }
            for (String parameter : names) {
                String[] values = request.getParameters().get(parameter);
                if (values == null) {
                    continue;
                }
                for (String value : values) {
                    for (String id : QualifiedParamList.splitQueryStringByCommasIgnoreEscape(null, value)) {
                        String idPart = new IdType(id).getIdPart();
                        if (idPart != null) {
                            named.add(idPart);
                        }
                    }
                }
            }
        }
        return named;
    }

    private synchronized IAuthRule ruleFor(Set<String> reached) {
        Set<String> key = reached.isEmpty() ? Set.of(NOBODY) : reached;
        return rules.computeIfAbsent(Set.copyOf(key), this::hapiRule);
    }

    private IAuthRule hapiRule(Set<String> compartmentOwners) {
        List<IIdType> owners = compartmentOwners.stream()
                .map(id -> (IIdType) new IdType("Patient", id))
                .toList();
        RuleBuilder builder = new RuleBuilder();
        IAuthRuleBuilderRuleOp rule = switch (op) {
            case READ -> builder.allow(name).read();
            case CREATE -> builder.allow(name).create();
            case WRITE -> builder.allow(name).write();
            case DELETE -> builder.allow(name).delete();
        };
        IAuthRuleBuilderRuleOpClassifier classifier =
                "*".equals(resourceType) ? rule.allResources() : rule.resourcesOfType(resourceType);
        return classifier.inCompartment("Patient", owners).build().get(0);
    }
}
