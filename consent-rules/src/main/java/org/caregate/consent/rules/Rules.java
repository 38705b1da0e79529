package org.caregate.consent.rules;

import java.time.Period;
import org.caregate.consent.AccessRule;

/** Factory methods for the rules, to compose with {@link org.caregate.consent.AccessPolicy}. */
public final class Rules {

    private Rules() {}

    /** {@link SelfRule} with the product default: no own online access for patients aged 12 to 17. */
    public static AccessRule self() {
        return new SelfRule(false);
    }

    /** {@link SelfRule}; {@code adolescentOwnAccess} lets patients aged 12 to 17 see their own records. */
    public static AccessRule self(boolean adolescentOwnAccess) {
        return new SelfRule(adolescentOwnAccess);
    }

    /** {@link GuardianRule}. */
    public static AccessRule guardian() {
        return new GuardianRule();
    }

    /** {@link CareRelationshipRule} with encounters counting for 12 months. */
    public static AccessRule careRelationship() {
        return new CareRelationshipRule(CareRelationshipRule.DEFAULT_ENCOUNTER_WINDOW);
    }

    /** {@link CareRelationshipRule} with encounters counting for {@code encounterWindow}. */
    public static AccessRule careRelationship(Period encounterWindow) {
        return new CareRelationshipRule(encounterWindow);
    }

    /** {@link BackendClientRule} with encounters counting for 12 months. */
    public static AccessRule backendClient() {
        return new BackendClientRule(CareRelationshipRule.DEFAULT_ENCOUNTER_WINDOW);
    }

    /** {@link BackendClientRule} with encounters counting for {@code encounterWindow}. */
    public static AccessRule backendClient(Period encounterWindow) {
        return new BackendClientRule(encounterWindow);
    }

    /** {@link ReleaseHoldRule}. */
    public static AccessRule releaseHold() {
        return new ReleaseHoldRule();
    }

    /** {@link PatientOptOutRule}. */
    public static AccessRule patientOptOut() {
        return new PatientOptOutRule();
    }

    /** {@link DenyAllRule}. */
    public static AccessRule denyAll() {
        return new DenyAllRule();
    }
}
