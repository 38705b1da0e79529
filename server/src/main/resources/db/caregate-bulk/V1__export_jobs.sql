-- Bulk Data $export jobs (org.caregate.server.bulk.ExportJobs) and their NDJSON files, in the FHIR database so
-- that every node sees every job: kick-off on one node, run on another, poll and download on a third.
create table export_job (
    id               uuid primary key,
    client_id        text not null,          -- the backend client that asked; only it may poll and download
    organization_id  text not null,          -- the client's organisation, whose access the export has
    request_url      text not null,          -- the kick-off request, as the manifest's "request"
    level            text not null,          -- system | patient | group
    group_id         text,
    types            text[] not null,        -- the resource types to export, resolved at kick-off
    since            timestamptz,
    type_filters     text[] not null,
    elements         text[] not null,
    notes            text[] not null,        -- what the kick-off left out, for the error file (no patient ids)
    output_format    text not null,
    transaction_time timestamptz not null,
    status           text not null,          -- accepted | running | completed | failed
    progress         text,
    exported         bigint not null default 0,
    error            text,
    claimed_by       text,                   -- the node running it
    heartbeat        timestamptz,            -- last sign of life of that node; a stale one is taken over
    created          timestamptz not null,
    completed        timestamptz,
    expires          timestamptz,            -- files and job are removed after this instant
    last_polled      timestamptz
);
create index export_job_runnable on export_job (status, created);

-- The patients whose records the export may contain, decided by the consent rules at transaction_time:
-- selected = the patients asked for (all permitted ones, the group's members, or the "patient" parameter);
-- the others are permitted too and only decide whether a resource shared with a selected patient is shown.
create table export_job_patient (
    job_id     uuid not null references export_job (id) on delete cascade,
    patient_id text not null,
    selected   boolean not null,
    primary key (job_id, patient_id)
);

create table export_file (
    id            uuid primary key,
    job_id        uuid not null references export_job (id) on delete cascade,
    kind          text not null,             -- output | error
    resource_type text not null,
    seq           int not null,
    resources     bigint not null,
    bytes         bigint not null
);
create index export_file_job on export_file (job_id);

-- A file's content in parts of at most caregate.bulk.part-size bytes, so that neither writing nor serving a file
-- holds more than one part in memory.
create table export_file_part (
    file_id uuid not null references export_file (id) on delete cascade,
    part    int not null,
    data    bytea not null,
    primary key (file_id, part)
);
