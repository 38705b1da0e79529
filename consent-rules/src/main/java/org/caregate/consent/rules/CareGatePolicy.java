package org.caregate.consent.rules;

import java.time.Period;
import java.util.Objects;
import org.caregate.consent.AccessPolicy;

/**
 * The product's access policy (DESIGN.md, "Access policy"), in one call:
 *
 * <pre>{@code
 * AccessPolicy policy = CareGatePolicy.standard(CareGatePolicy.Options.defaults());
 * }</pre>
 *
 * which is
 *
 * <pre>{@code
 * AccessPolicy.denyOverrides(
 *         AccessPolicy.firstApplicable(self, guardian, careRelationship, backendClient, denyAll),
 *         patientOptOut,
 *         releaseHold)
 * }</pre>
 *
 * The relationship rules come first so that, when several rules deny, the requester reads why their relationship
 * gives no access (e.g. "patients aged 12 to 17") rather than a hold on one result. Any deny still overrides a permit.
 * The policy never answers not-applicable.
 */
public final class CareGatePolicy {

    private CareGatePolicy() {}

    /**
     * Settings of the policy.
     *
     * @param adolescentOwnAccess whether patients aged 12 to 17 may see their own records online (default false)
     * @param encounterWindow     how long an encounter creates a care relationship (default 12 months)
     */
    public record Options(boolean adolescentOwnAccess, Period encounterWindow) {

        public Options {
            Objects.requireNonNull(encounterWindow, "encounterWindow");
        }

        /** The product defaults: no adolescent own access, a 12-month encounter window. */
        public static Options defaults() {
            return new Options(false, CareRelationshipRule.DEFAULT_ENCOUNTER_WINDOW);
        }

        /** A copy with adolescent own access set as given. */
        public Options withAdolescentOwnAccess(boolean allowed) {
            return new Options(allowed, encounterWindow);
        }

        /** A copy with another encounter window. */
        public Options withEncounterWindow(Period window) {
            return new Options(adolescentOwnAccess, window);
        }
    }

    /** The product policy with the default options. */
    public static AccessPolicy standard() {
        return standard(Options.defaults());
    }

    /** The product policy with the given options. */
    public static AccessPolicy standard(Options options) {
        return AccessPolicy.denyOverrides(
                AccessPolicy.firstApplicable(
                        Rules.self(options.adolescentOwnAccess()),
                        Rules.guardian(),
                        Rules.careRelationship(options.encounterWindow()),
                        Rules.backendClient(options.encounterWindow()),
                        Rules.denyAll()),
                Rules.patientOptOut(),
                Rules.releaseHold());
    }
}
