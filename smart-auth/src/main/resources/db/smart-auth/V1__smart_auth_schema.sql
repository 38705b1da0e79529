-- CareGate SMART authorization server: everything lives in the schema smart_auth (Flyway's default schema here),
-- never in public, which belongs to HAPI FHIR.

-- Spring Authorization Server's JDBC tables. SAS ships DDL with "blob" columns that PostgreSQL lacks; its JDBC
-- services read the column types from the database metadata and store text values as strings when the column is
-- not a BLOB, so "text" is used for every large value. Token values are looked up by equality only: hash indexes
-- (B-tree entries are limited to ~2.7 kB, and a JWT with many scopes can be longer).

CREATE TABLE oauth2_registered_client (
    id                            varchar(100)                        NOT NULL PRIMARY KEY,
    client_id                     varchar(100)                        NOT NULL UNIQUE,
    client_id_issued_at           timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
    client_secret                 varchar(200),
    client_secret_expires_at      timestamp,
    client_name                   varchar(200)                        NOT NULL,
    client_authentication_methods varchar(1000)                       NOT NULL,
    authorization_grant_types     varchar(1000)                       NOT NULL,
    redirect_uris                 text,
    post_logout_redirect_uris     text,
    scopes                        text                                NOT NULL,
    client_settings               text                                NOT NULL,
    token_settings                text                                NOT NULL
);

CREATE TABLE oauth2_authorization (
    id                            varchar(100) NOT NULL PRIMARY KEY,
    registered_client_id          varchar(100) NOT NULL,
    principal_name                varchar(200) NOT NULL,
    authorization_grant_type      varchar(100) NOT NULL,
    authorized_scopes             text,
    attributes                    text,
    state                         varchar(500),
    authorization_code_value      text,
    authorization_code_issued_at  timestamp,
    authorization_code_expires_at timestamp,
    authorization_code_metadata   text,
    access_token_value            text,
    access_token_issued_at        timestamp,
    access_token_expires_at       timestamp,
    access_token_metadata         text,
    access_token_type             varchar(100),
    access_token_scopes           text,
    oidc_id_token_value           text,
    oidc_id_token_issued_at       timestamp,
    oidc_id_token_expires_at      timestamp,
    oidc_id_token_metadata        text,
    refresh_token_value           text,
    refresh_token_issued_at       timestamp,
    refresh_token_expires_at      timestamp,
    refresh_token_metadata        text,
    user_code_value               text,
    user_code_issued_at           timestamp,
    user_code_expires_at          timestamp,
    user_code_metadata            text,
    device_code_value             text,
    device_code_issued_at         timestamp,
    device_code_expires_at        timestamp,
    device_code_metadata          text
);
CREATE INDEX oauth2_authorization_state_idx ON oauth2_authorization USING hash (state);
CREATE INDEX oauth2_authorization_code_idx ON oauth2_authorization USING hash (authorization_code_value);
CREATE INDEX oauth2_authorization_access_token_idx ON oauth2_authorization USING hash (access_token_value);
CREATE INDEX oauth2_authorization_id_token_idx ON oauth2_authorization USING hash (oidc_id_token_value);
CREATE INDEX oauth2_authorization_refresh_token_idx ON oauth2_authorization USING hash (refresh_token_value);
CREATE INDEX oauth2_authorization_user_code_idx ON oauth2_authorization USING hash (user_code_value);
CREATE INDEX oauth2_authorization_device_code_idx ON oauth2_authorization USING hash (device_code_value);
CREATE INDEX oauth2_authorization_principal_idx ON oauth2_authorization (registered_client_id, principal_name);

CREATE TABLE oauth2_authorization_consent (
    registered_client_id varchar(100)  NOT NULL,
    principal_name       varchar(200)  NOT NULL,
    authorities          varchar(4000) NOT NULL,
    PRIMARY KEY (registered_client_id, principal_name)
);

-- People who log in.
CREATE TABLE user_account (
    username        varchar(100) NOT NULL PRIMARY KEY,
    password_hash   varchar(500) NOT NULL,
    display_name    varchar(200) NOT NULL,
    fhir_user       varchar(200) NOT NULL,
    kind            varchar(40)  NOT NULL CHECK (kind IN ('PATIENT', 'RELATED_PERSON', 'PRACTITIONER')),
    organization_id varchar(100),
    roles           text[]       NOT NULL DEFAULT '{}',
    status          varchar(20)  NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'TERMINATED')),
    created_at      timestamptz  NOT NULL,
    updated_at      timestamptz  NOT NULL
);
CREATE INDEX user_account_fhir_user_idx ON user_account (fhir_user);

-- EHR launch contexts: an opaque random id the portal gives the app, redeemed once within a few minutes.
CREATE TABLE launch_context (
    launch_id    varchar(100) NOT NULL PRIMARY KEY,
    patient_id   varchar(100) NOT NULL,
    encounter_id varchar(100),
    username     varchar(100) NOT NULL REFERENCES user_account (username) ON DELETE CASCADE,
    client_id    varchar(100),
    created_at   timestamptz  NOT NULL,
    expires_at   timestamptz  NOT NULL,
    used_at      timestamptz
);
CREATE INDEX launch_context_expires_idx ON launch_context (expires_at);

-- Token signing keys, shared by every node. The newest key whose retired_at is null signs; retired keys stay
-- published in the JWKS until the tokens they signed have expired.
CREATE TABLE signing_key (
    kid        varchar(100) NOT NULL PRIMARY KEY,
    jwk        text         NOT NULL,
    created_at timestamptz  NOT NULL,
    retired_at timestamptz
);

-- Client assertion ids (jti) already used, kept until the assertion expires: a replayed assertion is refused.
CREATE TABLE client_assertion_jti (
    client_id  varchar(100) NOT NULL,
    jti        varchar(200) NOT NULL,
    expires_at timestamptz  NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertion_jti_expires_idx ON client_assertion_jti (expires_at);

-- Ids (jti) of revoked access tokens, kept until the token would have expired; every node caches this set.
CREATE TABLE revoked_access_token (
    jti        varchar(100) NOT NULL PRIMARY KEY,
    client_id  varchar(100) NOT NULL,
    revoked_at timestamptz  NOT NULL,
    expires_at timestamptz  NOT NULL
);
CREATE INDEX revoked_access_token_expires_idx ON revoked_access_token (expires_at);
