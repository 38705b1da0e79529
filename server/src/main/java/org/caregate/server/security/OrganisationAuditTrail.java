package org.caregate.server.security;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleTester;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * What a site administrator may read of the audit trail: the AuditEvents of their organisation's users and backend
 * clients. Every event of a request made by an organisation's practitioner, office staff or backend client names
 * that organisation as an agent ({@code agent.who = Organization/<id>}, type RoleClass PROV), so the whole trail of
 * an organisation is one indexed search: {@code AuditEvent?agent=Organization/<id>}.
 *
 * <p>For HAPI's authorization rules (the security package decides who is a site administrator):
 * <pre>{@code
 * rules.allow("site-admin: audit trail of " + organizationId).read().resourcesOfType("AuditEvent").withAnyId()
 *         .withTester(OrganisationAuditTrail.tester(organizationId));
 * }</pre>
 * A search is allowed only when it is narrowed to the organisation ({@code agent=Organization/<id>}); every event
 * read or returned must name the organisation.
 */
public final class OrganisationAuditTrail {

    private OrganisationAuditTrail() {}

    /** The rule tester for "AuditEvents of organisation {@code organizationId}". */
    public static IAuthRuleTester tester(String organizationId) {
        String organization = "Organization/" + organizationId;
        return new IAuthRuleTester() {
            @Override
            public boolean matches(RuleTestRequest request) {
                if (request.resource != null) {
                    return names(request.resource, organization);
                }
                if (request.operation == RestOperationTypeEnum.SEARCH_TYPE) {
                    return isNarrowedTo(request.requestDetails, organization);
                }
                return true; // a read by id: decided on the resource read (matchesOutput)
            }

            @Override
            public boolean matchesOutput(RuleTestRequest request) {
                return request.resource == null || names(request.resource, organization);
            }
        };
    }

    /** Whether an AuditEvent names {@code organization} ({@code Organization/<id>}) as one of its agents. */
    public static boolean names(IBaseResource resource, String organization) {
        return resource instanceof AuditEvent event
                && event.getAgent().stream()
                        .anyMatch(agent -> organization.equals(agent.getWho().getReference()));
    }

    /** A search whose {@code agent} parameter is exactly the organisation (one value, no other agent). */
    static boolean isNarrowedTo(RequestDetails request, String organization) {
        String[] values = request.getParameters().get("agent");
        if (values == null || values.length != 1) {
            return false;
        }
        return organization.equals(values[0]);
    }
}
