package org.caregate.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.caregate.consent.Decision;
import org.caregate.server.access.RequesterAccess;
import org.caregate.smart.scope.Interaction;
import org.caregate.smart.scope.ResourceScope;
import org.caregate.smart.scope.ScopeContext;

/**
 * What one request may reach: the token's scopes intersected with what the consent rules permit now, per scope.
 * Built once per request ({@link EffectiveAccessResolver}) and read by every step of the security chain: search
 * narrowing, the authorization rules, the release hold, {@code $everything}, batch entries, audit. Start here to
 * find any access decision.
 *
 * <ul>
 * <li>{@link #grants()}: for each resource scope of the token, the patients whose compartments it reaches. SMART
 * scopes are per context: a {@code patient/} scope reaches the launch patient only (if consent still permits them),
 * a {@code user/} scope the patients consent permits the user, a {@code system/} scope the backend client's
 * organisation's patients, whatever other scopes the token holds.</li>
 * <li>{@link #decide(String)}: the consent decision about one patient, to name the rule that refused them.</li>
 * <li>{@link #siteAdministratorOrganization()}: the special grant of a site administrator (their organisation's
 * audit trail).</li>
 * <li>{@link #isEhrFeed()}: the hospital's EHR feed, whose scopes reach every record.</li>
 * </ul>
 */
public final class EffectiveAccess {

    private static final String KEY = EffectiveAccess.class.getName();

    /** A scope and the patients whose compartments it reaches. */
    public record Grant(ResourceScope scope, Set<String> patients) {}

    private final AccessContext context;
    private final RequesterAccess consent;
    private final List<Grant> grants;
    private final Set<String> reachable;
    private final Optional<String> siteAdministratorOrganization;
    private final boolean ehrFeed;

    EffectiveAccess(
            AccessContext context,
            RequesterAccess consent,
            List<Grant> grants,
            Optional<String> siteAdministratorOrganization) {
        this(context, consent, grants, siteAdministratorOrganization, false);
    }

    EffectiveAccess(
            AccessContext context,
            RequesterAccess consent,
            List<Grant> grants,
            Optional<String> siteAdministratorOrganization,
            boolean ehrFeed) {
        this.context = context;
        this.consent = consent;
        this.grants = List.copyOf(grants);
        Set<String> union = new LinkedHashSet<>();
        grants.forEach(grant -> union.addAll(grant.patients()));
        this.reachable = union.size() == consent.permittedPatientIds().size()
                ? consent.permittedPatientIds()
                : Set.copyOf(union);
        this.siteAdministratorOrganization = siteAdministratorOrganization;
        this.ehrFeed = ehrFeed;
    }

    /** The effective access of an authenticated request (set by the security chain's first step). */
    public static Optional<EffectiveAccess> find(RequestDetails request) {
        return Optional.ofNullable((EffectiveAccess) request.getUserData().get(KEY));
    }

    void attachTo(RequestDetails request) {
        request.getUserData().put(KEY, this);
    }

    public AccessContext context() {
        return context;
    }

    /** Each resource scope of the token with the patients it reaches. */
    public List<Grant> grants() {
        return grants;
    }

    /** Every patient some scope of this request reaches. */
    public Set<String> reachablePatients() {
        return reachable;
    }

    /** The patients reachable for this interaction on this type, through the scopes that permit it. */
    public Set<String> patientsFor(String resourceType, Interaction interaction) {
        Set<String> patients = null;
        for (Grant grant : grants) {
            if (grant.scope().permits(grant.scope().context(), resourceType, interaction)) {
                if (patients == null && grant.patients() == reachable) {
                    return reachable;
                }
                if (patients == null) {
                    patients = new LinkedHashSet<>();
                }
                patients.addAll(grant.patients());
            }
        }
        return patients == null ? Set.of() : patients;
    }

    /** The consent decision about one patient (permit or the rule that refused). */
    public Decision decide(String patientId) {
        return consent.decide(patientId);
    }

    /** The consent decisions behind this access. */
    public RequesterAccess consent() {
        return consent;
    }

    /** The organisation whose audit trail a site administrator reads, if this is a site administrator's token. */
    public Optional<String> siteAdministratorOrganization() {
        return siteAdministratorOrganization;
    }

    /**
     * Whether this is the hospital's EHR feed ({@code caregate.ehr-feed.client-ids}): its {@code system/} scopes reach
     * every record, not only its organisation's patients' ({@link EhrFeedRules}), since it is what loads them.
     */
    public boolean isEhrFeed() {
        return ehrFeed;
    }

    /** Whether the token has a scope in this context. */
    public boolean hasScopesIn(ScopeContext scopeContext) {
        return grants.stream().anyMatch(grant -> grant.scope().context() == scopeContext);
    }
}
