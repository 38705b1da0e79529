package org.caregate.server.portal.admin;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs {@link SiteAccessReview#suspendOverdue()} every {@code caregate.accounts.site-review-check-interval} (1 hour;
 * {@code 0} turns it off, as the full-stack tests do, which move the clock and call the check themselves). Every node
 * may run it: suspending an already suspended account changes nothing.
 */
@Component
class SiteAccessReviewTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SiteAccessReviewTask.class);

    private final SiteAccessReview review;
    private final Duration interval;
    private ScheduledExecutorService executor;

    SiteAccessReviewTask(
            SiteAccessReview review, @Value("${caregate.accounts.site-review-check-interval:PT1H}") Duration interval) {
        this.review = review;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "caregate-site-access-review");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::check, interval.toSeconds(), interval.toSeconds(), TimeUnit.SECONDS);
    }

    private void check() {
        try {
            List<String> suspended = review.suspendOverdue();
            if (!suspended.isEmpty()) {
                log.warn("90-day site access review overdue: suspended {}", suspended);
            }
        } catch (RuntimeException e) {
            log.warn("site access review check failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
