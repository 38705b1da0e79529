-- CareGate's audit trail: one row per AuditEvent, appended by AuditEventWriter (plain JDBC batches), never
-- updated or deleted by the application. The columns are what the FHIR searches need; the AuditEvent itself is
-- kept as its FHIR JSON (without id and meta, which are the row's id and recorded time).
create table audit_record (
    id           bigint generated always as identity primary key,
    recorded     timestamptz not null,
    types        text[]      not null, -- AuditEvent.type as system|code and as the bare code
    subtypes     text[]      not null, -- every AuditEvent.subtype, the same way
    action       text,                 -- C R U D E
    outcome      text        not null, -- 0 4 8 12
    token_id     text,                 -- the requesting agent's policy: the access token's jti
    organization text,                 -- the requester's organisation (bare id): a site administrator's trail
    agents       text[]      not null, -- AuditEvent.agent.who: references (Practitioner/x) and identifiers (system|value)
    patients     text[]      not null, -- bare ids of the patients the event is about (entity role Patient)
    entities     text[]      not null, -- AuditEvent.entity.what references
    query        text,                 -- the request's query as sent (entity role Query)
    resource     text        not null  -- the AuditEvent as FHIR JSON
);

create index audit_record_recorded on audit_record (recorded desc, id desc);
create index audit_record_patients on audit_record using gin (patients);
create index audit_record_organization on audit_record (organization, recorded desc, id desc);
create index audit_record_agents on audit_record using gin (agents);
create index audit_record_entities on audit_record using gin (entities);
create index audit_record_token on audit_record (token_id);
