package org.caregate.server.bulk;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The NDJSON files of one type of one export as they are written: lines go into a buffer of one part, a full part
 * is stored, and after {@code resourcesPerFile} lines a new file begins. Memory holds one part whatever the size
 * of the export. A file that got no line is removed on {@link #close()}.
 */
final class NdjsonFiles implements AutoCloseable {

    private final ExportJobs jobs;
    private final UUID job;
    private final ExportJob.File.Kind kind;
    private final String resourceType;
    private final int resourcesPerFile;
    private final byte[] buffer;
    private int buffered;
    private UUID file;
    private int seq;
    private int part;
    private long resources;
    private long bytes;
    private long total;

    NdjsonFiles(ExportJobs jobs, UUID job, ExportJob.File.Kind kind, String resourceType, BulkExportProperties limits) {
        this.jobs = jobs;
        this.job = job;
        this.kind = kind;
        this.resourceType = resourceType;
        this.resourcesPerFile = limits.resourcesPerFile();
        this.buffer = new byte[limits.partSize()];
    }

    /** Appends one resource, as one line of JSON without line breaks. */
    void write(String json) {
        if (file == null || resources == resourcesPerFile) {
            finishFile();
            file = jobs.newFile(job, kind, resourceType, ++seq);
            part = 0;
            resources = 0;
            bytes = 0;
        }
        byte[] line = (json + "\n").getBytes(StandardCharsets.UTF_8);
        int offset = 0;
        while (offset < line.length) {
            int room = buffer.length - buffered;
            int length = Math.min(room, line.length - offset);
            System.arraycopy(line, offset, buffer, buffered, length);
            buffered += length;
            offset += length;
            if (buffered == buffer.length) {
                flush();
            }
        }
        resources++;
        total++;
        bytes += line.length;
    }

    /** Resources written so far, in every file. */
    long total() {
        return total;
    }

    private void flush() {
        if (buffered > 0) {
            jobs.appendPart(file, part++, buffer, buffered);
            buffered = 0;
        }
    }

    private void finishFile() {
        if (file != null) {
            flush();
            jobs.updateCounts(file, resources, bytes);
        }
    }

    @Override
    public void close() {
        finishFile();
        if (file != null && resources == 0) {
            jobs.deleteFile(file);
        }
    }
}
