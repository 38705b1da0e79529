package org.caregate.server.seed;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import javax.sql.DataSource;
import org.caregate.seed.SeedDataset;
import org.caregate.seed.SeedUser;
import org.caregate.server.config.CareGateProperties;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.user.UserKind;
import org.caregate.smart.authserver.user.UserStatus;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Loads the sample dataset ({@code seed-data}) on the first start against an empty database, and never twice.
 *
 * <p>What was loaded is recorded in {@code caregate.seed_load}. The seed is loaded only when that table has no
 * row and HAPI holds no resource yet, so a production database that already has data is never touched. A
 * PostgreSQL advisory lock serialises nodes that start at the same moment. The personas' user accounts (with their
 * documented development passwords) are created with the FHIR data.
 */
@Component
@Order(100)
public class SeedDataLoader implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SeedDataLoader.class);
    private static final long ADVISORY_LOCK_KEY = 0x43617265_47617465L; // "CareGate"

    private final SeedProperties properties;
    private final DataSource dataSource;
    private final IFhirSystemDao<Bundle, ?> systemDao;
    private final FhirContext fhirContext;
    private final Clock clock;
    private final CareGateProperties careGate;
    private final UserAccountService userAccounts;

    public SeedDataLoader(
            SeedProperties properties,
            DataSource dataSource,
            IFhirSystemDao<Bundle, ?> systemDao,
            FhirContext fhirContext,
            Clock clock,
            CareGateProperties careGate,
            UserAccountService userAccounts) {
        this.properties = properties;
        this.dataSource = dataSource;
        this.systemDao = systemDao;
        this.fhirContext = fhirContext;
        this.clock = clock;
        this.careGate = careGate;
        this.userAccounts = userAccounts;
    }

    @Override
    public void run(ApplicationArguments args) throws SQLException {
        if (!properties.enabled()) {
            log.info("Seed data disabled (caregate.seed.enabled=false)");
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            createMarkerTable(connection);
            lock(connection, true);
            try {
                loadUnlessAlreadyThere(connection);
            } finally {
                lock(connection, false);
            }
        }
    }

    private void loadUnlessAlreadyThere(Connection connection) throws SQLException {
        String loadedBefore = singleString(
                connection,
                "select dataset_version || ' on ' || loaded_at from caregate.seed_load order by loaded_at limit 1");
        if (loadedBefore != null) {
            log.info("Seed data already loaded ({}); not loading it again", loadedBefore);
            return;
        }
        if (singleString(connection, "select 'x' from hfj_resource limit 1") != null) {
            log.warn("The database holds FHIR resources but no record of a seed load: leaving it as it is");
            return;
        }
        SeedDataset dataset = SeedDataset.load(fhirContext);
        LocalDate loadingDay = LocalDate.now(clock.withZone(careGate.facilityZone()));
        List<Bundle> bundles = dataset.transactionBundles(loadingDay);
        // One transaction for the whole dataset: it is there entirely or not at all.
        Bundle all = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundles.forEach(bundle -> all.getEntry().addAll(bundle.getEntry()));
        systemDao.transaction(new SystemRequestDetails(), all);
        int resources = all.getEntry().size();
        dataset.users().forEach(this::createAccount);
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into caregate.seed_load (dataset_version, loaded_at, loading_day, resources) values (?, ?, ?, ?)")) {
            insert.setString(1, dataset.version());
            insert.setTimestamp(2, Timestamp.from(Instant.now(clock)));
            insert.setObject(3, loadingDay);
            insert.setInt(4, resources);
            insert.executeUpdate();
        }
        log.info(
                "Loaded seed dataset {} for {}: {} resources in {} bundles, {} user accounts",
                dataset.version(),
                loadingDay,
                resources,
                bundles.size(),
                dataset.users().size());
    }

    private void createAccount(SeedUser user) {
        userAccounts.createOrUpdate(
                user.username(),
                user.devPassword(),
                user.displayName(),
                user.fhirUser(),
                UserKind.valueOf(user.kind().name()),
                user.organizationId(),
                user.roles(),
                UserStatus.valueOf(user.status().name()));
        // development personas keep their documented password-only logins; every other practitioner or staff
        // account enrols in TOTP on its first sign-in (caregate.accounts.mfa-required-kinds)
        userAccounts.setMfaExempt(user.username(), true);
    }

    private static void createMarkerTable(Connection connection) throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("create schema if not exists caregate");
            ddl.execute("""
                    create table if not exists caregate.seed_load (
                        dataset_version text primary key,
                        loaded_at timestamptz not null,
                        loading_day date not null,
                        resources integer not null)""");
        }
    }

    private static void lock(Connection connection, boolean acquire) throws SQLException {
        try (PreparedStatement lock =
                connection.prepareStatement(acquire ? "select pg_advisory_lock(?)" : "select pg_advisory_unlock(?)")) {
            lock.setLong(1, ADVISORY_LOCK_KEY);
            lock.execute();
        }
    }

    private static String singleString(Connection connection, String sql) throws SQLException {
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
