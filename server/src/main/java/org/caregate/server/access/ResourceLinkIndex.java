package org.caregate.server.access;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.entity.ResourceIndexedSearchParamToken;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import javax.sql.DataSource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * Finds the resources that refer to given practitioners, roles and organizations in one SQL query over HAPI's reference
 * index ({@code HFJ_RES_LINK}), with their current text ({@code HFJ_RES_VER}), instead of one HAPI search per kind of
 * reference: a HAPI search costs several CPU-milliseconds on the JVM side, the query well under one.
 *
 * <p>This reads HAPI's own tables (schema of HAPI FHIR 8.8, unpartitioned), so it is kept to the few columns HAPI has
 * long had, and to HAPI's own hash for token searches ({@code HFJ_SPIDX_TOKEN.HASH_SYS_AND_VALUE}):
 * {@code HFJ_RESOURCE(RES_ID, RES_TYPE, FHIR_ID, RES_VER, RES_DELETED_AT)}, {@code HFJ_RES_LINK(SRC_PATH,
 * SRC_RESOURCE_ID, SOURCE_RESOURCE_TYPE, TARGET_RESOURCE_ID)}, {@code HFJ_RES_VER(RES_ID, RES_VER, RES_ENCODING,
 * RES_TEXT, RES_TEXT_VC)} and {@code HFJ_SPIDX_DATE(RES_ID, RES_TYPE, SP_NAME, SP_VALUE_HIGH)}. The full-stack tests
 * exercise it against HAPI's real schema; a HAPI upgrade that changes these tables fails them.
 */
@Component
class ResourceLinkIndex {

    private static final String REFERRING_SQL = """
            select distinct r.res_id, r.res_type, r.fhir_id, v.res_encoding, v.res_text_vc, v.res_text
              from hfj_res_link l
              join hfj_resource t on t.res_id = l.target_resource_id
              join hfj_resource r on r.res_id = l.src_resource_id
              join hfj_res_ver v on v.res_id = r.res_id and v.res_ver = r.res_ver
             where l.src_path = any(?)
               and (t.res_type, t.fhir_id) in (select * from unnest(?::text[], ?::text[]))
               and r.res_deleted_at is null
               and (r.res_type <> 'Encounter' or exists (
                    select 1 from hfj_spidx_date d
                     where d.res_id = r.res_id and d.res_type = 'Encounter' and d.sp_name = 'date'
                       and (d.sp_value_high is null or d.sp_value_high >= ?)))
            """;
    private static final String READ_SQL = """
            select r.res_id, r.res_type, r.fhir_id, v.res_encoding, v.res_text_vc, v.res_text
              from hfj_resource r
              join hfj_res_ver v on v.res_id = r.res_id and v.res_ver = r.res_ver
             where r.res_type = ? and r.fhir_id = any(?) and r.res_deleted_at is null
            """;

    private static final String IDENTIFIER_SQL = """
            select r.res_id, r.res_type, r.fhir_id, v.res_encoding, v.res_text_vc, v.res_text
              from hfj_spidx_token tk
              join hfj_resource r on r.res_id = tk.res_id
              join hfj_res_ver v on v.res_id = r.res_id and v.res_ver = r.res_ver
             where tk.hash_sys_and_value = ? and r.res_deleted_at is null
            """;

    private final DataSource dataSource;
    private final FhirContext fhirContext;
    private final DaoRegistry daoRegistry;
    private final AtomicLong queries = new AtomicLong();

    private final PartitionSettings partitionSettings;

    ResourceLinkIndex(DataSource dataSource, FhirContext fhirContext, DaoRegistry daoRegistry,
                      PartitionSettings partitionSettings) {
        this.dataSource = dataSource;
        this.partitionSettings = partitionSettings;
        this.fhirContext = fhirContext;
        this.daoRegistry = daoRegistry;
    }

    /**
     * The current, not deleted resources that refer, by one of {@code paths} (HAPI's search-parameter paths such as
     * {@code Patient.generalPractitioner}), to one of {@code targets} ({@code Type/id}); encounters only if their
     * {@code date} index ends at or after {@code encountersEndingSince} (or has no end). One query, whatever the
     * number of targets (they are bound as two arrays, not one parameter each).
     */
    List<IBaseResource> referringTo(Collection<String> paths, Collection<String> targets,
                                    Instant encountersEndingSince) {
        if (paths.isEmpty() || targets.isEmpty()) {
            return List.of();
        }
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String target : targets) {
            int slash = target.indexOf('/');
            types.add(target.substring(0, slash));
            ids.add(target.substring(slash + 1));
        }
        return query(REFERRING_SQL, (connection, statement) -> {
            statement.setArray(1, textArray(connection, paths));
            statement.setArray(2, textArray(connection, types));
            statement.setArray(3, textArray(connection, ids));
            statement.setTimestamp(4, Timestamp.from(encountersEndingSince));
        });
    }

    /** The current, not deleted resources of this type with these ids (absent ones are left out). One query. */
    List<IBaseResource> read(String type, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return query(READ_SQL, (connection, statement) -> {
            statement.setString(1, type);
            statement.setArray(2, textArray(connection, ids));
        });
    }

    /**
     * The current resources of this type whose {@code identifier} is {@code system|value}, found through HAPI's token
     * index by the same hash HAPI searches with. One query.
     */
    List<IBaseResource> withIdentifier(String type, String system, String value) {
        long hash = ResourceIndexedSearchParamToken.calculateHashSystemAndValue(partitionSettings,
                RequestPartitionId.defaultPartition(), type, "identifier", system, value);
        return query(IDENTIFIER_SQL, (connection, statement) -> statement.setLong(1, hash)).stream()
                .filter(resource -> resource.fhirType().equals(type)).toList();
    }

    private interface Binder {
        void bind(Connection connection, PreparedStatement statement) throws SQLException;
    }

    private List<IBaseResource> query(String sql, Binder binder) {
        queries.incrementAndGet();
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(connection, statement);
            Map<Long, IBaseResource> resources = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    resources.put(rows.getLong(1), resource(rows));
                }
            }
            return new ArrayList<>(resources.values());
        } catch (SQLException e) {
            throw new IllegalStateException("could not read HAPI's resource tables", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    long queryCount() {
        return queries.get();
    }

    private IBaseResource resource(ResultSet row) throws SQLException {
        String type = row.getString("res_type");
        String id = row.getString("fhir_id");
        String encoding = row.getString("res_encoding");
        String text = row.getString("res_text_vc");
        byte[] bytes = text == null ? row.getBytes("res_text") : null;
        String json = switch (encoding == null ? "" : encoding) {
            case "JSON" -> text != null ? text : bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
            case "JSONC" -> text != null ? text : bytes == null ? null : gunzip(bytes);
            default -> null;
        };
        IBaseResource resource = json == null
                // stored elsewhere (e.g. external storage): let HAPI read it
                ? daoRegistry.getResourceDao(type).read(new IdType(type, id), new SystemRequestDetails())
                : fhirContext.newJsonParser().parseResource(json);
        resource.setId(new IdType(type, id));
        return resource;
    }

    private static Array textArray(Connection connection, Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray(String[]::new));
    }

    private static String gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
