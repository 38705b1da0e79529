package org.caregate.smart.authserver.client;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a user-facing SMART app is started (SMART App Launch 2.2, "Launch and authorization"): from the EHR (here the
 * provider portal, which sends {@code iss} and {@code launch} to the app's launch URI) or on its own.
 */
public enum LaunchType {
    EHR("ehr"),
    STANDALONE("standalone");

    private final String value;

    LaunchType(String value) {
        this.value = value;
    }

    /** The value in client metadata ({@code launch_types}) and in the database. */
    public String value() {
        return value;
    }

    public static Optional<LaunchType> of(String value) {
        return Arrays.stream(values()).filter(type -> type.value.equals(value)).findFirst();
    }
}
