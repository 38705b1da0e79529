-- CareGate's index of the facts the access rules need (org.caregate.server.access.AccessIndex).
-- Written in the same transaction as the FHIR write that changes them; rebuilt from the FHIR data when absent.
create table access_fact (
    source       text not null,          -- Type/id of the resource the fact comes from
    kind         text not null,          -- AccessFact.Kind
    patient_id   text,                   -- the patient it is about
    party        text,                   -- provider reference or user:<name>
    context      text,                   -- e.g. the Organization of a PractitionerRole
    period_start timestamptz,
    period_end   timestamptz,
    detail       text
);
create index access_fact_source on access_fact (source);
create index access_fact_party on access_fact (party, kind);
create index access_fact_patient on access_fact (patient_id, kind);
create index access_fact_context on access_fact (context) where context is not null;

-- One row. generation grows with every committed change of the facts: a node that cached decisions at generation
-- N knows they are stale as soon as it reads N+1.
create table access_index_state (
    id                int primary key check (id = 1),
    generation        bigint not null,
    built_at          timestamptz,
    built_for         text                -- facility zone and extractor version the facts were built with
);
insert into access_index_state (id, generation) values (1, 0);
