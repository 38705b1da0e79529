package org.caregate.smart.authserver.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures per client address in fixed windows: the first failure opens a window of {@code window}; once
 * {@code maxFailures} have been counted in it the address is throttled until the window ends. In memory, per node:
 * a brute force spread over N nodes gets N times the budget, still far below what guessing a password needs, and the
 * per-user-name lockout (in the database) holds across nodes anyway.
 */
public final class AddressThrottle {

    private record Window(Instant start, int failures) {}

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final int maxTracked;

    public AddressThrottle(Clock clock, ThrottleProperties properties) {
        this.clock = clock;
        this.maxFailures = properties.maxFailuresPerAddress();
        this.window = properties.window();
        this.maxTracked = properties.maxTrackedAddresses();
    }

    /** How long {@code address} must wait, if it is throttled now. */
    public Optional<Duration> retryAfter(String address) {
        Window current = windows.get(address);
        Instant now = clock.instant();
        if (current == null
                || current.failures() < maxFailures
                || !now.isBefore(current.start().plus(window))) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, current.start().plus(window)));
    }

    public void recordFailure(String address) {
        Instant now = clock.instant();
        if (windows.size() >= maxTracked && !windows.containsKey(address)) {
            forgetEndedWindows(now);
        }
        windows.merge(
                address,
                new Window(now, 1),
                (old, first) ->
                        now.isBefore(old.start().plus(window)) ? new Window(old.start(), old.failures() + 1) : first);
    }

    private void forgetEndedWindows(Instant now) {
        windows.values().removeIf(w -> !now.isBefore(w.start().plus(window)));
        if (windows.size() >= maxTracked) {
            // still full of live windows: forget the oldest half rather than grow without bound
            Instant median = windows.values().stream()
                    .map(Window::start)
                    .sorted()
                    .skip(windows.size() / 2)
                    .findFirst()
                    .orElse(now);
            windows.values().removeIf(w -> w.start().isBefore(median));
        }
    }
}
