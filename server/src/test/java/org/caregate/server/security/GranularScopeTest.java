package org.caregate.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.List;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/** SMART v2 granular scopes narrow searches and reads to the granted categories. */
class GranularScopeTest extends FullStackTest {

    private static final String LABS_ONLY = "openid fhirUser launch/patient patient/Patient.rs "
            + "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory";

    private static String token;

    private IGenericClient asAliceWithLabsOnly() {
        if (token == null) {
            token = tokens().userToken("alice", LABS_ONLY, null);
        }
        return fhirClient(token);
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(entry -> entry.getResource().getIdElement().getIdPart())
                .toList();
    }

    @Test
    void searchWhenScopeGrantsOnlyLaboratoryThenVitalSignsAreNotReturned() {
        Bundle all = asAliceWithLabsOnly()
                .search()
                .forResource(Observation.class)
                .where(Observation.PATIENT.hasId("pat-adult-alice"))
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(all)).containsExactlyInAnyOrder("obs-alice-hgb", "obs-alice-ferritin");
        assertThat(all.getTotal()).isEqualTo(2);
    }

    @Test
    void searchWhenAskingForVitalSignsWithLaboratoryScopeThenNothing() {
        Bundle vitals = asAliceWithLabsOnly()
                .search()
                .forResource(Observation.class)
                .where(Observation.PATIENT.hasId("pat-adult-alice"))
                .and(Observation.CATEGORY.exactly().code("vital-signs"))
                .returnBundle(Bundle.class)
                .execute();

        assertThat(vitals.getEntry()).isEmpty();
    }

    @Test
    void readWhenObservationIsOutsideGrantedCategoryThenForbidden() {
        assertThat(asAliceWithLabsOnly()
                        .read()
                        .resource(Observation.class)
                        .withId("obs-alice-hgb")
                        .execute()
                        .getIdPart())
                .isEqualTo("obs-alice-hgb");
        assertThatThrownBy(() -> asAliceWithLabsOnly()
                        .read()
                        .resource(Observation.class)
                        .withId("obs-alice-hr")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("granular scope");
    }
}
