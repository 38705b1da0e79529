package org.caregate.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * The site administrator's rule, as the security package would add it, run through HAPI's own
 * AuthorizationInterceptor decision logic (no server): searches narrowed to the organisation and events naming it
 * are allowed, anything else falls through to deny.
 */
class OrganisationAuditTrailTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final RestfulServer SERVER = new RestfulServer(FHIR);

    private final AuthorizationInterceptor authorization = new AuthorizationInterceptor(PolicyEnum.DENY) {
        @Override
        public List<IAuthRule> buildRuleList(RequestDetails request) {
            return new RuleBuilder()
                    .allow("site-admin: audit trail of org-clinic-north")
                    .read()
                    .resourcesOfType("AuditEvent")
                    .withAnyId()
                    .withTester(OrganisationAuditTrail.tester("org-clinic-north"))
                    .andThen()
                    .denyAll("deny by default")
                    .build();
        }
    };

    private static RequestDetails request(RestOperationTypeEnum operation, Map<String, String[]> parameters) {
        ServletRequestDetails request = new ServletRequestDetails();
        request.setServer(SERVER);
        request.setRestOperationType(operation);
        request.setResourceName("AuditEvent");
        request.setParameters(new HashMap<>(parameters));
        return request;
    }

    private static AuditEvent eventOf(String organization) {
        AuditEvent event = new AuditEvent();
        event.setId("AuditEvent/1");
        event.addAgent().setWho(new Reference("Practitioner/prac-north-gp"));
        event.addAgent().setWho(new Reference("Organization/" + organization));
        return event;
    }

    private PolicyEnum decide(
            RestOperationTypeEnum operation,
            Map<String, String[]> parameters,
            IdType id,
            AuditEvent output,
            Pointcut pointcut) {
        return authorization
                .applyRulesAndReturnDecision(operation, request(operation, parameters), null, id, output, pointcut)
                .getDecision();
    }

    @Test
    void searchWhenNarrowedToTheOrganisationThenAllowedAndItsEventsMayBeReturned() {
        Map<String, String[]> narrowed = Map.of("agent", new String[] {"Organization/org-clinic-north"});
        assertThat(decide(
                        RestOperationTypeEnum.SEARCH_TYPE,
                        narrowed,
                        null,
                        null,
                        Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED))
                .isEqualTo(PolicyEnum.ALLOW);
        assertThat(decide(
                        RestOperationTypeEnum.SEARCH_TYPE,
                        narrowed,
                        null,
                        eventOf("org-clinic-north"),
                        Pointcut.STORAGE_PRESHOW_RESOURCES))
                .isEqualTo(PolicyEnum.ALLOW);
    }

    @Test
    void searchWhenNotNarrowedOrNarrowedElsewhereThenDenied() {
        assertThat(decide(
                        RestOperationTypeEnum.SEARCH_TYPE,
                        Map.of(),
                        null,
                        null,
                        Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED))
                .isEqualTo(PolicyEnum.DENY);
        assertThat(decide(
                        RestOperationTypeEnum.SEARCH_TYPE,
                        Map.of("agent", new String[] {"Organization/org-hospital"}),
                        null,
                        null,
                        Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED))
                .isEqualTo(PolicyEnum.DENY);
    }

    @Test
    void outputWhenEventOfAnotherOrganisationThenDenied() {
        assertThat(decide(
                        RestOperationTypeEnum.SEARCH_TYPE,
                        Map.of("agent", new String[] {"Organization/org-clinic-north"}),
                        null,
                        eventOf("org-hospital"),
                        Pointcut.STORAGE_PRESHOW_RESOURCES))
                .isEqualTo(PolicyEnum.DENY);
        assertThat(decide(
                        RestOperationTypeEnum.READ,
                        Map.of(),
                        new IdType("AuditEvent/1"),
                        eventOf("org-hospital"),
                        Pointcut.STORAGE_PRESHOW_RESOURCES))
                .isEqualTo(PolicyEnum.DENY);
    }

    @Test
    void readWhenEventOfTheOrganisationThenAllowed() {
        assertThat(decide(
                        RestOperationTypeEnum.READ,
                        Map.of(),
                        new IdType("AuditEvent/1"),
                        eventOf("org-clinic-north"),
                        Pointcut.STORAGE_PRESHOW_RESOURCES))
                .isEqualTo(PolicyEnum.ALLOW);
    }
}
