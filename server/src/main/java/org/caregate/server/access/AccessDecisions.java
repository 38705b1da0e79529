package org.caregate.server.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.caregate.consent.DataCategory;
import org.caregate.consent.Decision;
import org.caregate.server.config.CareGateProperties;
import org.caregate.smart.authserver.user.UserAccount;
import org.springframework.stereotype.Service;

/**
 * The consent rules' decisions about a requester's patients ({@link RequesterAccess}), made once and kept for the
 * requests that follow, on every node, for as long as they are right:
 * <ul>
 * <li>not past the first instant at which a fact they used starts or stops counting, nor past the next midnight in
 * the facility zone ({@link Horizon}): a guardian's access still ends at 00:00 on the 12th birthday;</li>
 * <li>not after any change of the access index, on any node: each request reads the index's generation (one
 * indexed row), which every committed change of a care relationship, guardianship, patient or consent advances;</li>
 * <li>not after any change of the account (the account, read on every request, is part of the key).</li>
 * </ul>
 * A provider with 10,000 patients is thus decided once, not on every request, and never stale beyond the request.
 */
@Service
public class AccessDecisions {

    private final AccessFactsResolver facts;
    private final PatientAccess policy;
    private final AccessIndex index;
    private final ZoneId zone;
    private final Clock clock;
    private final Cache<Object, RequesterAccess> cache = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterAccess(Duration.ofMinutes(30))
            .build();

    AccessDecisions(
            AccessFactsResolver facts,
            PatientAccess policy,
            AccessIndex index,
            CareGateProperties properties,
            Clock clock) {
        this.facts = facts;
        this.policy = policy;
        this.index = index;
        this.zone = properties.facilityZone();
        this.clock = clock;
    }

    /** The decisions about a person's patients now. */
    public RequesterAccess forUser(UserAccount user) {
        return forUser(user, clock.instant());
    }

    public RequesterAccess forUser(UserAccount user, Instant now) {
        return cached(user, now, horizon -> facts.requesterFor(user, horizon));
    }

    /** The decisions about a backend client's (its organisation's) patients now. */
    public RequesterAccess forBackendClient(String clientId, String organizationId) {
        Instant now = clock.instant();
        return cached(
                new BackendKey(clientId, organizationId),
                now,
                horizon -> RequesterRoles.of(facts.backendClient(clientId, organizationId, horizon)));
    }

    private record BackendKey(String clientId, String organizationId) {}

    private interface RolesReader {
        RequesterRoles read(Horizon horizon);
    }

    private RequesterAccess cached(Object key, Instant now, RolesReader roles) {
        long generation = index.generation();
        RequesterAccess known = cache.getIfPresent(key);
        if (known != null && known.holdsAt(now, generation)) {
            return known;
        }
        RequesterAccess fresh = decide(roles, now, generation);
        cache.put(key, fresh);
        return fresh;
    }

    private RequesterAccess decide(RolesReader reader, Instant now, long generation) {
        Horizon horizon = new Horizon(now, zone);
        RequesterRoles roles = reader.read(horizon);
        Map<String, PatientRecord> candidates = facts.patients(roles.candidatePatientIds(), horizon);
        Map<String, Decision> decisions = new LinkedHashMap<>();
        candidates
                .values()
                .forEach(candidate -> decisions.put(
                        candidate.id(), policy.decide(roles, candidate.facts(), DataCategory.ordinary(), now)));
        return new RequesterAccess(policy, roles, candidates, decisions, now, horizon.until(), generation);
    }

    /** Forgets every kept decision (tests that change the data below the index). */
    public void clear() {
        cache.invalidateAll();
    }
}
