package org.caregate.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.caregate.server.audit.AuditEventWriter;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A site administrator sees who in their organisation looked at what kind of record, when and with which outcome, but
 * not whose record it was, and nothing of other organisations.
 */
class SiteAdministratorAuditTrailTest extends FullStackTest {

    private static final String AUDIT_SCOPE = "openid fhirUser user/AuditEvent.rs";

    @Autowired
    private AuditEventWriter auditWriter;

    @Test
    void searchWhenSiteAdminAsksForOwnOrganisationsTrailThenSeesStaffAccess() {
        String okafor = tokens().userToken("dr.okafor", "openid fhirUser user/*.rs", null);
        fhirClient(okafor)
                .read()
                .resource(Patient.class)
                .withId("pat-adult-alice")
                .execute();
        auditWriter.flush();

        Bundle trail = fhirClient(tokens().userToken("priya", AUDIT_SCOPE, null))
                .search()
                .forResource(AuditEvent.class)
                .where(AuditEvent.AGENT.hasId("Organization/org-clinic-north"))
                .count(200)
                .returnBundle(Bundle.class)
                .execute();

        assertThat(trail.getEntry()).isNotEmpty();
        assertThat(trail.getEntry()).anySatisfy(entry -> {
            AuditEvent event = (AuditEvent) entry.getResource();
            assertThat(event.getAgent())
                    .anySatisfy(
                            agent -> assertThat(agent.getWho().getReference()).isEqualTo("Practitioner/prac-north-gp"));
            // a patient's record was read; which one is not the site administrator's to know (no patient data)
            assertThat(event.getEntity()).anySatisfy(entity -> {
                assertThat(entity.getWhat().getType()).isEqualTo("Patient");
                assertThat(entity.getWhat().hasReference()).isFalse();
            });
        });
        assertThat(fhirContext.newJsonParser().encodeResourceToString(trail)).doesNotContain("pat-adult-alice");
    }

    @Test
    void searchWhenSiteAdminAsksForAnotherOrganisationsTrailThenForbidden() {
        String priya = tokens().userToken("priya", AUDIT_SCOPE, null);

        assertThatThrownBy(() -> fhirClient(priya)
                        .search()
                        .forResource(AuditEvent.class)
                        .where(AuditEvent.AGENT.hasId("Organization/org-clinic-south"))
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void searchWhenSiteAdminReadsPatientDataThenNothing() {
        String priya = tokens().userToken("priya", "openid fhirUser user/*.rs", null);

        Bundle patients = fhirClient(priya)
                .search()
                .forResource(Patient.class)
                .returnBundle(Bundle.class)
                .execute();

        assertThat(patients.getEntry()).isEmpty();
    }
}
