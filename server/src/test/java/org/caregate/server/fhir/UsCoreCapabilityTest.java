package org.caregate.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.caregate.profiles.UsCoreServerCapability;
import org.caregate.server.testing.FullStackTest;
import org.caregate.server.testing.PatientRecordProbes;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every resource type and SHALL search of the US Core 6.1.0 server CapabilityStatement, taken from the package's own
 * statement ({@link UsCoreServerCapability}), is declared in CareGate's {@code /metadata} and answers: US Core's list
 * is nowhere written by hand, here or in the server.
 */
class UsCoreCapabilityTest extends FullStackTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String DIEGO = "pat-family-17";

    private static final FhirContext R4 = FhirContext.forR4Cached();

    @Autowired
    private DaoRegistry daoRegistry;

    private final UsCoreServerCapability usCore = UsCoreServerCapability.load(R4);

    @Test
    void metadataWhenReadThenDeclaresEveryUsCoreTypeAndShallSearch() {
        CapabilityStatement capabilities =
                fhirClient().capabilities().ofType(CapabilityStatement.class).execute();
        Map<String, CapabilityStatementRestResourceComponent> declared =
                capabilities.getRestFirstRep().getResource().stream()
                        .collect(Collectors.toMap(CapabilityStatementRestResourceComponent::getType, r -> r));

        Map<String, List<String>> missing = new TreeMap<>();
        for (String type : usCore.resourceTypes()) {
            CapabilityStatementRestResourceComponent resource = declared.get(type);
            if (resource == null) {
                missing.put(type, List.of("the type"));
                continue;
            }
            Set<String> parameters = resource.getSearchParam().stream()
                    .map(CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent::getName)
                    .collect(Collectors.toSet());
            Set<String> interactions = resource.getInteraction().stream()
                    .map(interaction -> interaction.getCode().toCode())
                    .collect(Collectors.toSet());
            UsCoreServerCapability.ResourceRequirement requirement = usCore.requirement(type);
            List<String> absent = new ArrayList<>();
            requirement.everyShallParameter().stream()
                    .filter(name -> !"_id".equals(name) && !parameters.contains(name))
                    .forEach(name -> absent.add("search " + name));
            requirement.shallInteractions().stream()
                    .filter(code -> !interactions.contains(code))
                    .forEach(code -> absent.add("interaction " + code));
            if (!absent.isEmpty()) {
                missing.put(type, absent);
            }
        }
        assertThat(usCore.resourceTypes()).hasSize(31);
        assertThat(missing)
                .as("US Core 6.1.0 server requirements CareGate's CapabilityStatement does not declare")
                .isEmpty();
    }

    @Test
    void searchWhenEachUsCoreShallSearchThenAnswered() {
        PatientRecordProbes.storeFor(daoRegistry, DIEGO);
        String token = tokens().backendToken("system/*.rs");
        List<String> failures = new ArrayList<>();
        int searches = 0;
        for (String type : usCore.resourceTypes()) {
            UsCoreServerCapability.ResourceRequirement requirement = usCore.requirement(type);
            List<List<String>> searchesOfType = new ArrayList<>();
            requirement.shallSearchParameters().forEach(name -> searchesOfType.add(List.of(name)));
            searchesOfType.addAll(requirement.shallCombinations());
            for (List<String> names : searchesOfType) {
                String query = names.stream()
                        .map(name -> name + "=" + URLEncoder.encode(valueFor(type, name), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));
                searches++;
                HttpResponse<String> response = get(token, type + "?" + query);
                if (response.statusCode() != 200
                        || !(R4.newJsonParser().parseResource(response.body()) instanceof Bundle)) {
                    failures.add(type + "?" + query + " → " + response.statusCode() + " " + response.body());
                }
            }
            if (requirement.shallSearchParameters().contains("patient")
                    && PatientRecordProbes.BUILDERS.containsKey(type)) {
                HttpResponse<String> response = get(token, type + "?patient=" + DIEGO);
                if (!response.body().contains(PatientRecordProbes.idOf(type, DIEGO))) {
                    failures.add(type + "?patient=" + DIEGO + " did not find Diego's record");
                }
            }
        }
        System.out.printf("US Core 6.1.0 SHALL searches: %d run, %d failed%n", searches, failures.size());
        assertThat(failures).isEmpty();
    }

    /** A well-formed value of the parameter's type (the search must be understood, not find something). */
    private static String valueFor(String type, String name) {
        if ("_id".equals(name)) {
            return "probe";
        }
        if ("patient".equals(name)) {
            return DIEGO;
        }
        RuntimeSearchParam parameter = R4.getResourceDefinition(type).getSearchParam(name);
        if (parameter == null) {
            return "unknown-parameter";
        }
        return switch (parameter.getParamType()) {
            case DATE -> "ge2000-01-01";
            case REFERENCE ->
                parameter.getTargets().isEmpty()
                        ? "Practitioner/probe"
                        : parameter.getTargets().iterator().next() + "/probe";
            case TOKEN -> "http://example.org/probe|probe";
            case NUMBER, QUANTITY -> "1";
            default -> "probe";
        };
    }

    private static HttpResponse<String> get(String token, String url) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(FHIR_BASE + "/" + url))
                            .header("Authorization", "Bearer " + token)
                            .header("Accept", "application/fhir+json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
