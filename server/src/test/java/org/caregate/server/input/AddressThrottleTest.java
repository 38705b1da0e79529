package org.caregate.server.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.caregate.server.testing.FullStackTest;
import org.junit.jupiter.api.Test;

/**
 * Brute force from one client address is throttled at the defaults (50 failures in 10 minutes): failed client
 * authentications and failed sign-ins count, and then every token request, sign-in and authorization request from
 * that address gets 429 with Retry-After, even with the right password, while other addresses are served as before.
 * The attackers connect from their own loopback addresses (127.0.0.2, 127.0.0.3), so the rest of the suite, on
 * 127.0.0.1, is not affected.
 */
class AddressThrottleTest extends FullStackTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");
    private static final Pattern SESSION = Pattern.compile("((?:JSESSIONID|SESSION)=[^;]+)");

    private static RawHttp from(String address) {
        try {
            return new RawHttp(PORT, InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RawHttp.Response wrongClientSecret(RawHttp http) {
        return http.send(
                "POST /auth/token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=caregate-confidential-app&client_secret=guess"
                        .getBytes(StandardCharsets.US_ASCII));
    }

    private static RawHttp.Response signIn(RawHttp http, String username, String password) {
        RawHttp.Response page = http.send("GET /auth/login HTTP/1.1\r\nAccept: text/html");
        Matcher session = SESSION.matcher(String.valueOf(page.header("Set-Cookie")));
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(session.find()).as("session cookie").isTrue();
        assertThat(csrf.find()).as("CSRF token on the login page").isTrue();
        String form = "username=" + username + "&password=" + password + "&_csrf=" + csrf.group(1);
        return http.send(
                "POST /auth/login HTTP/1.1\r\nCookie: " + session.group(1)
                        + "\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: text/html",
                form.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fiftyFailedClientAuthenticationsThrottleTheAddress() {
        RawHttp attacker = from("127.0.0.2");
        for (int i = 0; i < 50; i++) {
            assertThat(wrongClientSecret(attacker).status())
                    .as("failure %d", i + 1)
                    .isEqualTo(401);
        }

        RawHttp.Response throttled = wrongClientSecret(attacker);

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 600L);
        assertThat(throttled.header("Content-Type")).startsWith("application/json");
        assertThat(throttled.body())
                .contains("\"error\":\"temporarily_unavailable\"")
                .contains("try again in");
        assertThat(signIn(attacker, "alice", "alice-dev-password").status()).isEqualTo(429);
        assertThat(attacker.send("GET /auth/authorize?response_type=code&client_id=caregate-public-app HTTP/1.1")
                        .status())
                .isEqualTo(429);
        // another address is not affected
        assertThat(wrongClientSecret(new RawHttp(PORT)).status()).isEqualTo(401);

        clock.moveTo(Instant.now().plus(Duration.ofMinutes(10).plusSeconds(1)));
        assertThat(wrongClientSecret(attacker).status()).as("after the window").isEqualTo(401);
    }

    @Test
    void fiftyFailedSignInsThrottleTheAddressEvenForTheRightPassword() {
        RawHttp attacker = from("127.0.0.3");
        for (int i = 0; i < 50; i++) {
            // a new made-up name each time: the per-name lockout never starts, only the address counts
            RawHttp.Response failed = signIn(attacker, "guess" + i, "wrong");
            assertThat(failed.status()).as("failure %d", i + 1).isEqualTo(302);
            assertThat(failed.header("Location")).contains("/auth/login?error");
        }

        RawHttp.Response throttled = signIn(attacker, "alice", "alice-dev-password");

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isNotBlank();
        assertThat(throttled.body()).contains("Too many attempts");
        // alice herself, from her own address, signs in
        RawHttp.Response alice = signIn(new RawHttp(PORT), "alice", "alice-dev-password");
        assertThat(alice.status()).isEqualTo(302);
        assertThat(alice.header("Location")).doesNotContain("error").doesNotContain("locked");
    }
}
