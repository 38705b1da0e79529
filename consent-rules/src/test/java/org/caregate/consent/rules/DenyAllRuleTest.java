package org.caregate.consent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caregate.consent.People.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Locale;
import java.util.stream.Stream;
import org.caregate.consent.Requester;
import org.caregate.consent.SiteAdministratorRequester;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DenyAllRuleTest {

    static Stream<Arguments> requesters() {
        return Stream.of(
                arguments(self(adult(30))),
                arguments(guardianOf(child(3))),
                arguments(generalPractitionerOf(adult(30))),
                arguments(new SiteAdministratorRequester("admin")));
    }

    @ParameterizedTest
    @MethodSource("requesters")
    void decideWhenAnyRequesterThenDenyNamingDenyAll(Requester requester) {
        var decision = new DenyAllRule().evaluate(request(requester, adult(30)));
        assertThat(decision.isDeny()).isTrue();
        assertThat(decision.rule()).isEqualTo("deny-all");
        assertThat(decision.reason(Locale.ENGLISH)).isEqualTo("You do not have access to this patient's records.");
    }
}
