package org.caregate.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.List;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/**
 * Unreleased radiology reports and non-final laboratory results are withheld from patients and guardians (absent
 * from searches, including their totals, and from includes; a direct read names the rule), while practitioners see
 * them.
 */
class ReleaseHoldTest extends FullStackTest {

    private static String alice;
    private static String frank;
    private static String drOkafor;

    private IGenericClient asAlice() {
        if (alice == null) {
            alice = tokens().userToken("alice", "openid fhirUser launch/patient patient/*.rs", null);
        }
        return fhirClient(alice);
    }

    private IGenericClient asFrank() {
        if (frank == null) {
            frank = tokens().userToken("frank", "openid fhirUser launch/patient patient/*.rs", null);
        }
        return fhirClient(frank);
    }

    private IGenericClient asDrOkafor() {
        if (drOkafor == null) {
            drOkafor = tokens().userToken("dr.okafor", "openid fhirUser user/*.rs", null);
        }
        return fhirClient(drOkafor);
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(entry -> entry.getResource().getIdElement().getIdPart())
                .toList();
    }

    @Test
    void searchWhenPatientThenPreliminaryLabResultIsLeftOutOfResultsAndTotal() {
        Bundle labs = asAlice()
                .search()
                .forResource(Observation.class)
                .where(Observation.PATIENT.hasId("pat-adult-alice"))
                .and(Observation.CATEGORY.exactly().code("laboratory"))
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(labs)).containsExactlyInAnyOrder("obs-alice-hgb", "obs-alice-ferritin");
        assertThat(labs.getTotal()).isEqualTo(2);
    }

    @Test
    void readWhenPatientAsksForPreliminaryLabResultThenForbiddenNamingReleaseHold() {
        assertThatThrownBy(() -> asAlice()
                        .read()
                        .resource(Observation.class)
                        .withId("obs-alice-hgb-followup")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("release-hold")
                .hasMessageContaining("not final");
    }

    @Test
    void searchWhenPatientThenUnreleasedRadiologyReportIsLeftOutButReleasedOneShown() {
        Bundle reports = asFrank()
                .search()
                .forResource(DiagnosticReport.class)
                .where(DiagnosticReport.PATIENT.hasId("pat-adult-frank"))
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(reports)).containsExactly("dr-frank-cxr-final");
        assertThat(reports.getTotal()).isEqualTo(1);
    }

    @Test
    void revincludeWhenPatientThenHeldResultsAreNotIncluded() {
        Bundle reports = asAlice()
                .search()
                .forResource(DiagnosticReport.class)
                .where(DiagnosticReport.PATIENT.hasId("pat-adult-alice"))
                .include(DiagnosticReport.INCLUDE_RESULT)
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(reports))
                .contains("dr-alice-anemia-labs", "obs-alice-hgb", "obs-alice-ferritin")
                .doesNotContain("dr-alice-followup", "obs-alice-hgb-followup");
    }

    @Test
    void searchWhenPractitionerWithCareRelationshipThenHeldResultsAreShown() {
        Bundle labs = asDrOkafor()
                .search()
                .forResource(Observation.class)
                .where(Observation.PATIENT.hasId("pat-adult-alice"))
                .and(Observation.CATEGORY.exactly().code("laboratory"))
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(labs)).contains("obs-alice-hgb-followup");
    }
}
