package org.caregate.server.personas;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.caregate.server.testing.FullStackTest;
import org.caregate.smart.authserver.key.SigningKeyStore;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Base of the persona tests: one class per person of seed-data/README.md ("Personas and logins"), each asking what
 * that person would ask of the FHIR API with tokens from the real SMART launch. Tokens are obtained once per
 * persona and scope for the whole run (a login and an approval each).
 */
public abstract class PersonaTest extends FullStackTest {

    /** {@code caregate.facility-zone}: the calendar that decides ages and birthdays. */
    public static final ZoneId FACILITY_ZONE = ZoneId.of("America/Los_Angeles");

    public static final String PATIENT_SCOPES = "openid fhirUser launch/patient patient/*.rs";
    public static final String USER_SCOPES = "openid fhirUser user/*.rs";
    public static final String USER_WRITE_SCOPES = "openid fhirUser user/*.cruds";

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    @Autowired
    protected DaoRegistry daoRegistry;

    @Autowired
    private SigningKeyStore signingKeys;

    /** A standalone-launch token of {@code username} (picking {@code patientId} if asked), shared across tests. */
    protected static String token(String username, String scope, String patientId) {
        return TOKENS.computeIfAbsent(
                username + " " + scope + " " + patientId, key -> tokens().userToken(username, scope, patientId));
    }

    /** The north clinic's backend client ({@code system/*.rs}), shared across tests. */
    protected static String backendToken() {
        // backend tokens live 5 minutes: get a fresh one per test class, not per run
        return tokens().backendToken("system/*.rs");
    }

    /** The generic client with a token and {@code Accept-Language: es}. */
    protected IGenericClient spanishClient(String token) {
        IGenericClient client = fhirClient(token);
        client.registerInterceptor(new ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor(
                Map.of("Accept-Language", List.of("es"))));
        return client;
    }

    /** The start of Mateo's (pat-family-11) 12th birthday, 00:00 facility time, from his recorded birth date. */
    protected Instant twelfthBirthdayOfMateo() {
        Patient mateo = daoRegistry
                .getResourceDao(Patient.class)
                .read(new IdType("Patient/pat-family-11"), new SystemRequestDetails());
        return mateo.getBirthDateElement()
                .getValueAsCalendar()
                .toZonedDateTime()
                .toLocalDate()
                .plusYears(12)
                .atStartOfDay(FACILITY_ZONE)
                .toInstant();
    }

    /**
     * The same token (same claims, same {@code jti}, signed with the authorization server's active key), issued at
     * the server clock's current instant. Needed after {@code clock.moveTo}: the authorization server stamps
     * {@code iat}/{@code exp} with the real time (Spring Authorization Server's JwtGenerator has no clock), while
     * the FHIR server judges them by the injected clock, so a real token is "expired" three days ahead.
     */
    protected String issuedNow(String token) {
        try {
            SignedJWT original = SignedJWT.parse(token);
            JWTClaimsSet claims = original.getJWTClaimsSet();
            Duration lifetime = Duration.between(
                    claims.getIssueTime().toInstant(),
                    claims.getExpirationTime().toInstant());
            Instant now = clock.instant();
            JWTClaimsSet moved = new JWTClaimsSet.Builder(claims)
                    .issueTime(Date.from(now))
                    .notBeforeTime(claims.getNotBeforeTime() == null ? null : Date.from(now))
                    .expirationTime(Date.from(now.plus(lifetime)))
                    .build();
            String keyId = signingKeys.activeKeyId();
            JWK key = signingKeys
                    .get(new JWKSelector(new JWKMatcher.Builder().keyID(keyId).build()), null)
                    .get(0);
            SignedJWT signed = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(keyId)
                            .type(original.getHeader().getType())
                            .build(),
                    moved);
            signed.sign(new RSASSASigner(key.toRSAKey()));
            return signed.serialize();
        } catch (ParseException | JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code Type/id} of every entry of a search result, in order. */
    protected static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .map(resource ->
                        resource.fhirType() + "/" + resource.getIdElement().getIdPart())
                .toList();
    }

    /** Every {@code Patient/...} reference or Patient id in the entries of {@code bundle}. */
    protected List<String> patientsIn(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .flatMap(resource -> {
                    java.util.stream.Stream<String> self = resource instanceof Patient
                            ? java.util.stream.Stream.of(resource.getIdElement().getIdPart())
                            : java.util.stream.Stream.empty();
                    java.util.stream.Stream<String> references = fhirContext
                            .newTerser()
                            .getAllPopulatedChildElementsOfType(resource, org.hl7.fhir.r4.model.Reference.class)
                            .stream()
                            .map(org.hl7.fhir.r4.model.Reference::getReferenceElement)
                            .filter(reference -> "Patient".equals(reference.getResourceType()))
                            .map(reference -> reference.getIdPart());
                    return java.util.stream.Stream.concat(self, references);
                })
                .distinct()
                .toList();
    }
}
