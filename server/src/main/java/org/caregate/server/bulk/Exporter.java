package org.caregate.server.bulk;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.jpa.dao.ISearchBuilder;
import ca.uhn.fhir.jpa.dao.SearchBuilderFactory;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.caregate.consent.DataCategory;
import org.caregate.server.access.AccessDecisions;
import org.caregate.server.access.RequesterAccess;
import org.caregate.server.security.DataCategories;
import org.caregate.server.security.PatientOwners;
import org.caregate.server.security.PatientPanels;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one export: for each type, finds the resources of the selected patients (or, for a care-system type at
 * system level, every resource of it) that existed at the transaction time, loads them a step at a time, keeps
 * those the consent rules permit, and writes them as NDJSON.
 *
 * <p>What is kept is what a search by the same client would show at the transaction time:
 * <ul>
 *   <li>the resource is in the compartment of a selected patient (found through HAPI's reference index);</li>
 *   <li>every patient whose record it is ({@link PatientOwners}) was permitted to the client's organisation at the
 *       transaction time, as the authorization rules' "every patient permitted" requires;</li>
 *   <li>the consent rules permit its kind of data ({@link DataCategories#of}: held results);</li>
 *   <li>CareGate's internal panels are never exported;</li>
 *   <li>it matches one of its type's {@code _typeFilter} criteria, if there are any.</li>
 * </ul>
 * A resource shared by two selected patients is written once (by the first of them in id order).
 */
final class Exporter {

    /** Thrown when the export was cancelled or taken over by another node: stop, write nothing more. */
    static final class Abandoned extends RuntimeException {
        Abandoned() {
            super("export cancelled or taken over", null, false, false);
        }
    }

    private static final Coding SUBSETTED =
            new Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "SUBSETTED", "subsetted");

    private final ExportJobs jobs;
    private final DataSource dataSource;
    private final SearchBuilderFactory<JpaPid> searchBuilders;
    private final TransactionTemplate transactions;
    private final FhirContext fhirContext;
    private final SearchParamMatcher matcher;
    private final AccessDecisions decisions;
    private final BulkExportProperties limits;
    private final Clock clock;

    Exporter(
            ExportJobs jobs,
            DataSource dataSource,
            SearchBuilderFactory<JpaPid> searchBuilders,
            PlatformTransactionManager transactionManager,
            FhirContext fhirContext,
            SearchParamMatcher matcher,
            AccessDecisions decisions,
            BulkExportProperties limits,
            Clock clock) {
        this.jobs = jobs;
        this.dataSource = dataSource;
        this.searchBuilders = searchBuilders;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setReadOnly(true);
        this.fhirContext = fhirContext;
        this.matcher = matcher;
        this.decisions = decisions;
        this.limits = limits;
        this.clock = clock;
    }

    /** Runs a claimed export to its end; returns the number of resources written. */
    long run(ExportJob job, String node) {
        Run run = new Run(job, node);
        run.notes();
        for (int i = 0; i < job.types().size(); i++) {
            run.export(job.types().get(i), i + 1);
        }
        return run.exported;
    }

    private final class Run {

        private final ExportJob job;
        private final String node;
        private final Set<String> permitted;
        private final List<String> selected;
        private final Set<String> selectedSet;
        private final RequesterAccess consent;
        private final SystemRequestDetails system = new SystemRequestDetails();
        private long exported;

        Run(ExportJob job, String node) {
            this.job = job;
            this.node = node;
            this.permitted = jobs.permittedPatients(job.id());
            this.selected = jobs.selectedPatients(job.id());
            this.selectedSet = new HashSet<>(selected);
            this.consent = decisions.forBackendClient(job.clientId(), job.organizationId());
        }

        void notes() {
            if (job.notes().isEmpty()) {
                return;
            }
            try (NdjsonFiles errors =
                    new NdjsonFiles(jobs, job.id(), ExportJob.File.Kind.ERROR, "OperationOutcome", limits)) {
                IParser parser = fhirContext.newJsonParser();
                for (String note : job.notes()) {
                    OperationOutcome outcome = new OperationOutcome();
                    outcome.addIssue()
                            .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                            .setCode(OperationOutcome.IssueType.SUPPRESSED)
                            .setDiagnostics(note);
                    errors.write(parser.encodeResourceToString(outcome));
                }
            }
        }

        void export(String type, int ordinal) {
            IParser parser = parser(type);
            boolean subsetted = subsetted(type);
            List<String> filters = job.request().typeFilters().stream()
                    .filter(filter -> filter.startsWith(type + "?"))
                    .toList();
            ISearchBuilder<JpaPid> loader = searchBuilders.newSearchBuilder(
                    type, fhirContext.getResourceDefinition(type).getImplementingClass());
            try (NdjsonFiles files = new NdjsonFiles(jobs, job.id(), ExportJob.File.Kind.OUTPUT, type, limits)) {
                boolean compartment = ExportRequestParser.patientRecord(fhirContext, type);
                if (!compartment) {
                    stream(
                            type,
                            null,
                            pids -> write(type, pids, null, loader, parser, subsetted, filters, files, ordinal));
                    return;
                }
                for (int from = 0; from < selected.size(); from += limits.patientsPerQuery()) {
                    List<String> batch =
                            selected.subList(from, Math.min(selected.size(), from + limits.patientsPerQuery()));
                    Set<String> batchSet = new HashSet<>(batch);
                    stream(
                            type,
                            batch,
                            pids -> write(type, pids, batchSet, loader, parser, subsetted, filters, files, ordinal));
                }
            }
        }

        private void write(
                String type,
                List<Long> pids,
                Set<String> batch,
                ISearchBuilder<JpaPid> loader,
                IParser parser,
                boolean subsetted,
                List<String> filters,
                NdjsonFiles files,
                int ordinal) {
            List<IBaseResource> resources = transactions.execute(status ->
                    loader.loadResourcesByPid(pids.stream().map(JpaPid::fromId).toList(), system));
            for (IBaseResource resource : resources == null ? List.<IBaseResource>of() : resources) {
                if (keep(resource, batch, filters)) {
                    if (subsetted && resource instanceof Resource r) {
                        r.getMeta().addTag(SUBSETTED);
                    }
                    files.write(parser.encodeResourceToString(resource));
                    exported++;
                }
            }
            String progress =
                    type + " (" + ordinal + " of " + job.types().size() + " types): " + exported + " resources written";
            if (!jobs.heartbeat(job.id(), node, clock.instant(), progress, exported)) {
                throw new Abandoned();
            }
        }

        private boolean keep(IBaseResource resource, Set<String> batch, List<String> filters) {
            if (PatientPanels.isInternal(resource)) {
                return false;
            }
            Set<String> owners = PatientOwners.of(fhirContext, resource);
            if (!permitted.containsAll(owners)) {
                return false;
            }
            if (batch != null) {
                // written by the first selected patient whose record it is, so that it is written once
                String first = new TreeSet<>(owners)
                        .stream().filter(selectedSet::contains).findFirst().orElse(null);
                if (first == null || !batch.contains(first)) {
                    return false;
                }
            }
            DataCategory category = DataCategories.of(resource);
            if (!category.equals(DataCategory.ordinary())) {
                for (String owner : owners) {
                    if (!consent.decide(owner, category, job.transactionTime()).isPermit()) {
                        return false;
                    }
                }
            }
            return filters.isEmpty()
                    || filters.stream()
                            .anyMatch(filter ->
                                    matcher.match(filter, resource, system).matched());
        }

        /**
         * Streams the ids of the resources of {@code type} in the compartments of {@code patients} (of every one of
         * the type when null), not deleted, last changed at or before the transaction time and after
         * {@code _since}, handing them over {@code resourcesPerLoad} at a time.
         */
        private void stream(String type, List<String> patients, java.util.function.Consumer<List<Long>> step) {
            String changed = " and r.res_deleted_at is null and r.res_updated <= ?"
                    + (job.request().since().isPresent() ? " and r.res_updated > ?" : "");
            String sql;
            if (patients == null) {
                sql = "select r.res_id from hfj_resource r where r.res_type = ?" + changed + " order by r.res_id";
            } else if ("Patient".equals(type)) {
                sql = "select r.res_id from hfj_resource r where r.res_type = ? and r.fhir_id = any(?)" + changed
                        + " order by r.res_id";
            } else {
                sql = "select distinct r.res_id from hfj_res_link l join hfj_resource p on p.res_id = "
                        + "l.target_resource_id join hfj_resource r on r.res_id = l.src_resource_id where "
                        + "l.source_resource_type = ? and l.target_resource_type = 'Patient' and p.res_type = 'Patient' "
                        + "and p.fhir_id = any(?)" + changed + " order by r.res_id";
            }
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                connection.setReadOnly(true);
                try (PreparedStatement query = connection.prepareStatement(sql)) {
                    query.setFetchSize(limits.resourcesPerLoad());
                    int index = 1;
                    query.setString(index++, type);
                    if (patients != null) {
                        query.setArray(index++, connection.createArrayOf("text", patients.toArray()));
                    }
                    query.setTimestamp(index++, Timestamp.from(job.transactionTime()));
                    if (job.request().since().isPresent()) {
                        query.setTimestamp(
                                index, Timestamp.from(job.request().since().get()));
                    }
                    try (ResultSet rows = query.executeQuery()) {
                        List<Long> pids = new ArrayList<>(limits.resourcesPerLoad());
                        while (rows.next()) {
                            pids.add(rows.getLong(1));
                            if (pids.size() == limits.resourcesPerLoad()) {
                                step.accept(pids);
                                pids = new ArrayList<>(limits.resourcesPerLoad());
                            }
                        }
                        if (!pids.isEmpty()) {
                            step.accept(pids);
                        }
                    }
                } finally {
                    connection.rollback();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not read the resources to export", e);
            }
        }

        private Set<String> elementsOf(String type) {
            Set<String> elements = new LinkedHashSet<>();
            for (String element : job.request().elements()) {
                if (!element.contains(".")) {
                    elements.add(type + "." + element);
                } else if (element.startsWith(type + ".")) {
                    elements.add(element);
                }
            }
            return elements;
        }

        private boolean subsetted(String type) {
            return !elementsOf(type).isEmpty();
        }

        private IParser parser(String type) {
            IParser parser = fhirContext.newJsonParser().setPrettyPrint(false);
            Set<String> elements = elementsOf(type);
            if (!elements.isEmpty()) {
                // the elements a resource cannot be valid without stay (Bulk Data IG: "mandatory elements")
                RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(type);
                for (BaseRuntimeChildDefinition child : definition.getChildren()) {
                    if (child.getMin() > 0) {
                        elements.add(type + "." + child.getElementName());
                    }
                }
                elements.add(type + ".id");
                elements.add(type + ".meta");
                parser.setEncodeElements(elements);
            }
            return parser;
        }
    }
}
