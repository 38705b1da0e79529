-- Accounts' life cycle (issue 13): e-mail addresses, failed sign-ins and lockout, one-time codes and links
-- (activation, guardian invitations, password resets), TOTP multi-factor authentication.

ALTER TABLE user_account ADD COLUMN email varchar(320);
-- RFC 6238 shared secret (base32) once enrolled; recovery codes as SHA-256 hashes (base64url), each used once
ALTER TABLE user_account ADD COLUMN totp_secret varchar(200);
ALTER TABLE user_account ADD COLUMN recovery_code_hashes text[] NOT NULL DEFAULT '{}';
-- the last RFC 6238 time step accepted: a code is accepted once
ALTER TABLE user_account ADD COLUMN totp_last_step bigint;
-- not asked for a TOTP code although of a kind that must (the development personas of the seed data)
ALTER TABLE user_account ADD COLUMN mfa_exempt boolean NOT NULL DEFAULT false;
-- voluntary termination planned for this instant (the account stays active until then)
ALTER TABLE user_account ADD COLUMN termination_due_at timestamptz;
CREATE INDEX user_account_email_idx ON user_account (lower(email));

-- Failed sign-ins by the user name as typed (lower case), whether or not an account has that name: a lockout
-- then says nothing about which user names exist.
CREATE TABLE login_attempt (
    username     varchar(200) NOT NULL PRIMARY KEY,
    failures     integer      NOT NULL,
    last_failure timestamptz  NOT NULL,
    locked_until timestamptz
);

-- One-time codes: activation codes handed out by the hospital, guardian invitations, password-reset links. Only
-- the SHA-256 of the code is stored; a code is used once (used_at) and expires.
CREATE TABLE account_code (
    code_hash   varchar(100) NOT NULL PRIMARY KEY,
    purpose     varchar(40)  NOT NULL CHECK (purpose IN ('PATIENT_ACTIVATION', 'GUARDIAN_INVITATION',
                                                         'PASSWORD_RESET')),
    -- Patient/<id> (activation), RelatedPerson/<id> (invitation) or the username (password reset)
    subject     varchar(200) NOT NULL,
    email       varchar(320),
    issued_by   varchar(100),
    created_at  timestamptz  NOT NULL,
    expires_at  timestamptz  NOT NULL,
    used_at     timestamptz,
    -- set when a newer code for the same purpose and subject replaced this one (a resent invitation)
    replaced_at timestamptz
);
CREATE INDEX account_code_subject_idx ON account_code (purpose, subject);
