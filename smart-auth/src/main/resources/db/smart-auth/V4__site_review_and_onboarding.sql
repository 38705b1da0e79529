-- The 90-day site audit (issue 13): each organisation's site administrator reviews every staff account's access and
-- attests; without an attestation the organisation's staff accounts are suspended after a grace period.
CREATE TABLE site_access_review (
    organization_id varchar(100) NOT NULL PRIMARY KEY,
    attested_at     timestamptz  NOT NULL,
    attested_by     varchar(100) NOT NULL
);

-- Community-provider onboarding: an access request, sponsored by a hospital sponsor, approved by a hospital
-- administrator, whose account becomes active the day after the training is recorded as complete.
CREATE TABLE access_request (
    id                 varchar(40)  NOT NULL PRIMARY KEY,
    username           varchar(100) NOT NULL UNIQUE,
    display_name       varchar(200) NOT NULL,
    email              varchar(320) NOT NULL,
    practitioner_id    varchar(100) NOT NULL,
    organization_id    varchar(100) NOT NULL,
    role               varchar(40)  NOT NULL,
    sponsor            varchar(100) NOT NULL,
    password_hash      varchar(500) NOT NULL,
    status             varchar(20)  NOT NULL CHECK (status IN ('REQUESTED', 'SPONSORED', 'APPROVED', 'TRAINED',
                                                               'DECLINED')),
    requested_at       timestamptz  NOT NULL,
    sponsored_at       timestamptz,
    approved_at        timestamptz,
    approved_by        varchar(100),
    trained_at         timestamptz,
    decided_by         varchar(100)
);
-- an approved provider's account is created suspended and becomes active at this instant (the day after training)
ALTER TABLE user_account ADD COLUMN activates_at timestamptz;
