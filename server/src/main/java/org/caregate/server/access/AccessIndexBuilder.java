package org.caregate.server.access;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds the {@link AccessIndex} from the FHIR data: on start when it was never built (a database of an earlier
 * CareGate, or a fresh one), when the facility zone or the way facts are read changed, or when asked to
 * ({@code caregate.access-index.rebuild=true}). One transaction, so readers see the old index or the new one.
 */
public class AccessIndexBuilder {

    /** Bump when {@link AccessFactExtractor} reads the data differently: every index is then rebuilt on start. */
    static final int EXTRACTOR_VERSION = 1;

    private static final int PAGE = 500;
    private static final Logger log = LoggerFactory.getLogger(AccessIndexBuilder.class);

    private final AccessIndex index;
    private final AccessFactExtractor extractor;
    private final DaoRegistry daoRegistry;
    private final TransactionTemplate transaction;
    private final String builtFor;
    private final Clock clock;

    AccessIndexBuilder(
            AccessIndex index,
            AccessFactExtractor extractor,
            DaoRegistry daoRegistry,
            PlatformTransactionManager transactionManager,
            ZoneId zone,
            Clock clock) {
        this.index = index;
        this.extractor = extractor;
        this.daoRegistry = daoRegistry;
        this.transaction = new TransactionTemplate(transactionManager);
        this.builtFor = "zone=" + zone.getId() + ";extractor=" + EXTRACTOR_VERSION;
        this.clock = clock;
    }

    /** Rebuilds if the index is absent or was built for another zone or extractor; returns whether it did. */
    public boolean rebuildIfStale() {
        String current = index.builtFor();
        if (builtFor.equals(current)) {
            return false;
        }
        log.info("Building the access index ({} -> {})", current == null ? "never built" : current, builtFor);
        rebuild();
        return true;
    }

    /** Rebuilds the whole index from the FHIR data and returns the number of facts. */
    public int rebuild() {
        long started = System.nanoTime();
        Integer facts = transaction.execute(status -> {
            index.clearForRebuild();
            int count = 0;
            for (String type : AccessFactExtractor.INDEXED_TYPES) {
                count += indexAll(type);
            }
            index.markBuilt(builtFor, clock.instant());
            return count;
        });
        log.info("Access index built: {} facts in {} ms", facts, (System.nanoTime() - started) / 1_000_000);
        return facts == null ? 0 : facts;
    }

    private int indexAll(String type) {
        IBundleProvider resources =
                daoRegistry.getResourceDao(type).search(new SearchParameterMap(), new SystemRequestDetails());
        int count = 0;
        for (int from = 0; ; from += PAGE) {
            List<IBaseResource> page = resources.getResources(from, from + PAGE);
            if (page.isEmpty()) {
                break;
            }
            List<AccessFact> facts = new ArrayList<>();
            page.forEach(resource -> facts.addAll(extractor.factsOf(resource)));
            index.insert(facts);
            count += facts.size();
        }
        return count;
    }
}
