package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.caregate.smart.authserver.account.Totp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6238 appendix B's SHA-1 test vectors (8 digits; the last 6 are what authenticator apps show). */
class TotpTest {

    /** "12345678901234567890" in base32 (RFC 4648). */
    private static final String RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    @ParameterizedTest
    @CsvSource({
        "59, 94287082",
        "1111111109, 07081804",
        "1111111111, 14050471",
        "1234567890, 89005924",
        "2000000000, 69279037",
        "20000000000, 65353130"
    })
    void codeWhenRfc6238VectorThenSameDigits(long unixSeconds, String expected) {
        long step = Totp.step(Instant.ofEpochSecond(unixSeconds));
        assertThat(Totp.code(RFC_SECRET, step, 8)).isEqualTo(expected);
        assertThat(Totp.matchingStep(RFC_SECRET, expected.substring(2), Instant.ofEpochSecond(unixSeconds)))
                .hasValue(step);
    }

    @ParameterizedTest
    @CsvSource({"59, 94287082", "1234567890, 89005924"})
    void matchingStepWhenCodeTwoStepsOldThenRefused(long unixSeconds, String expected) {
        assertThat(Totp.matchingStep(RFC_SECRET, expected.substring(2), Instant.ofEpochSecond(unixSeconds + 61)))
                .isEmpty();
    }

    @org.junit.jupiter.api.Test
    void newSecretWhenIssuedThenBase32Of160BitsAndAnAppUri() {
        assertThat(Totp.newSecret()).matches("[A-Z2-7]{32}");
        assertThat(Totp.uri("CareGate", "dr.new", RFC_SECRET))
                .startsWith("otpauth://totp/CareGate:dr.new?secret=" + RFC_SECRET + "&issuer=CareGate");
    }
}
