package org.caregate.seed;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The CareGate sample dataset: FHIR R4 transaction bundles and the persona accounts that go with them.
 *
 * <p>Intended use, on the first start of a server against an empty database:
 * <pre>{@code
 * SeedDataset seed = SeedDataset.load(fhirContext);
 * LocalDate today = LocalDate.now(clock.withZone(facilityZone));
 * for (Bundle bundle : seed.transactionBundles(today, facilityZone)) {
 *     transactionDao.transaction(requestDetails, bundle);   // in this order: later bundles refer to earlier ones
 * }
 * seed.users().forEach(accounts::create);
 * record(seed.version(), today);
 * }</pre>
 *
 * <p>The bundles are the JSON files {@code org/caregate/seed/NN-name.json} on the classpath, listed in load order in
 * {@link #BUNDLE_NAMES}. Every entry is a {@code PUT Type/id} with a client-assigned id, so ids are stable (the README
 * documents them) and loading twice is idempotent. Dates in the files are placeholders relative to the day of loading
 * (see {@link RelativeDatePlaceholders}) so that the age bands the access rules depend on (4, 11 turning 12, 13, 17,
 * just 18, adults) hold whenever the dataset is loaded. The placeholders are resolved on the JSON text, then the text is
 * parsed strictly: any unknown element or malformed value is an error, never silently dropped.
 *
 * <p>Instances are immutable and thread-safe; every call to {@link #transactionBundles} returns new Bundle objects.
 */
public final class SeedDataset {

    /** Version of the dataset, to be recorded by the loader; change it whenever the content changes. */
    public static final String VERSION = "2026-12-a";

    /** The facility time zone used when none is given ({@code caregate.facility-zone}'s default). */
    public static final ZoneId DEFAULT_FACILITY_ZONE = ZoneId.of("America/Los_Angeles");

    /** The bundle files, without the {@code .json} suffix, in load order. */
    public static final List<String> BUNDLE_NAMES = List.of(
            "00-organizations",
            "10-practitioners",
            "15-medications",
            "20-family-garcia",
            "30-family-lee",
            "40-guardianship-kim",
            "50-adult-alice",
            "51-adult-bob",
            "52-adult-carol",
            "53-adult-dan",
            "54-adult-erin",
            "55-adult-frank",
            "56-dr-south-patient");

    private static final String RESOURCE_FOLDER = "/org/caregate/seed/";

    private final FhirContext fhirContext;
    private final List<String> bundleTexts;

    private SeedDataset(FhirContext fhirContext, List<String> bundleTexts) {
        this.fhirContext = fhirContext;
        this.bundleTexts = bundleTexts;
    }

    /**
     * Reads the bundle templates from the classpath.
     *
     * @param fhirContext an R4 context (the server's own, so that parsing shares its model cache)
     * @throws IllegalArgumentException if the context is not R4
     * @throws IllegalStateException    if a bundle file is missing from the classpath
     */
    public static SeedDataset load(FhirContext fhirContext) {
        Objects.requireNonNull(fhirContext, "fhirContext");
        if (fhirContext.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("the seed dataset is FHIR R4, the context is "
                    + fhirContext.getVersion().getVersion());
        }
        List<String> texts = new ArrayList<>(BUNDLE_NAMES.size());
        for (String name : BUNDLE_NAMES) {
            texts.add(readResource(RESOURCE_FOLDER + name + ".json"));
        }
        return new SeedDataset(fhirContext, List.copyOf(texts));
    }

    /** The dataset version, e.g. {@code 2026-11-a}, so that the loader can record what it loaded. */
    public String version() {
        return VERSION;
    }

    /** The bundle names in load order, matching the bundles returned by {@link #transactionBundles}. */
    public List<String> bundleNames() {
        return BUNDLE_NAMES;
    }

    /**
     * The transaction bundles, in load order, with dates resolved for {@code loadingDay} in the
     * {@linkplain #DEFAULT_FACILITY_ZONE default facility zone}.
     *
     * @param loadingDay today's date in the facility time zone
     */
    public List<Bundle> transactionBundles(LocalDate loadingDay) {
        return transactionBundles(loadingDay, DEFAULT_FACILITY_ZONE);
    }

    /**
     * The transaction bundles, in load order, with dates resolved for {@code loadingDay}; date-times are written with
     * the offset of {@code facilityZone}. The same arguments always give identical bundles.
     *
     * @param loadingDay   today's date in the facility time zone
     * @param facilityZone the facility time zone ({@code caregate.facility-zone})
     */
    public List<Bundle> transactionBundles(LocalDate loadingDay, ZoneId facilityZone) {
        IParser parser = fhirContext.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        return transactionBundlesJson(loadingDay, facilityZone).stream()
                .map(json -> parser.parseResource(Bundle.class, json))
                .toList();
    }

    /**
     * The bundles as JSON text with the placeholders resolved, in load order: what {@link #transactionBundles} parses.
     * For a loader that posts JSON rather than objects.
     */
    public List<String> transactionBundlesJson(LocalDate loadingDay, ZoneId facilityZone) {
        RelativeDatePlaceholders placeholders = new RelativeDatePlaceholders(loadingDay, facilityZone);
        List<String> texts = new ArrayList<>(bundleTexts.size());
        for (int i = 0; i < bundleTexts.size(); i++) {
            try {
                texts.add(placeholders.resolve(bundleTexts.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("seed bundle " + BUNDLE_NAMES.get(i) + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(texts);
    }

    /** The persona accounts, documented in {@code seed-data/README.md}. */
    public List<SeedUser> users() {
        return SeedUsers.ALL;
    }

    private static String readResource(String path) {
        try (InputStream in = SeedDataset.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("seed bundle not found on the classpath: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed bundle " + path, e);
        }
    }
}
