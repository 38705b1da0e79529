-- Client registration (RFC 7591 / RFC 7592) and its review by a CareGate administrator. One row per registered
-- client of oauth2_registered_client, keyed by its client_id: only APPROVED clients are known to the authorization
-- endpoints; the tokens of DISABLED and DELETED clients are refused by the FHIR server (every node caches the set).
CREATE TABLE client_registration (
    client_id               varchar(100) NOT NULL PRIMARY KEY,
    status                  varchar(20)  NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DISABLED', 'DELETED')),
    launch_types            text[]       NOT NULL DEFAULT '{}',
    launch_uri              varchar(2000),
    contacts                text[]       NOT NULL DEFAULT '{}',
    registered_by           varchar(200) NOT NULL,
    -- SHA-256 (base64url) of the RFC 7592 registration access token; null for clients registered on the page
    registration_token_hash varchar(100),
    created_at              timestamptz  NOT NULL,
    updated_at              timestamptz  NOT NULL,
    reviewed_by             varchar(100),
    reviewed_at             timestamptz,
    -- access tokens issued before this instant are refused (set when the client is disabled or deleted, so that
    -- approving it again does not bring its old tokens back)
    tokens_valid_after      timestamptz
);
CREATE INDEX client_registration_status_idx ON client_registration (status);

-- Clients registered before this table existed (the example clients) were set up by the operator: approved.
INSERT INTO client_registration (client_id, status, launch_types, registered_by, created_at, updated_at)
SELECT client_id, 'APPROVED',
       CASE WHEN authorization_grant_types LIKE '%authorization_code%' THEN '{ehr,standalone}'::text[]
            ELSE '{}'::text[] END,
       'operator', now(), now()
FROM oauth2_registered_client;

-- RFC 7591 initial access tokens, issued by an administrator to a developer; single use, SHA-256 stored only.
CREATE TABLE initial_access_token (
    token_hash varchar(100) NOT NULL PRIMARY KEY,
    issued_by  varchar(100) NOT NULL,
    note       varchar(200),
    created_at timestamptz  NOT NULL,
    expires_at timestamptz  NOT NULL,
    used_at    timestamptz,
    client_id  varchar(100)
);
