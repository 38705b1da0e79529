package org.caregate.smart.authserver.storage;

/** The PostgreSQL schema that holds every table of the authorization server, and where its migrations live. */
public final class SmartAuthSchema {

    /** The schema name; HAPI FHIR's tables are in {@code public} and are never touched. */
    public static final String NAME = "smart_auth";

    /** Flyway location of the migrations, applied by the Flyway bean of {@code SmartAuthStorageConfig}. */
    public static final String MIGRATIONS = "classpath:db/smart-auth";

    private SmartAuthSchema() {}
}
