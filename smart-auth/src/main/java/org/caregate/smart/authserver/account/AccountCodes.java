package org.caregate.smart.authserver.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One-time codes, in {@code smart_auth.account_code}: activation codes the hospital hands a patient, guardian
 * invitations and password-reset links. A code is 16 characters of Crockford's base32 (80 random bits), shown in
 * groups of four ({@code 7K3M-Q9TD-...}); what is typed is normalised (case, dashes, spaces, O→0, I/L→1). Only its
 * SHA-256 is stored. It can be used once, until it expires, and issuing a new one for the same purpose and subject
 * (a resent invitation) replaces the earlier ones.
 */
public class AccountCodes {

    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int LENGTH = 16;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AccountCodes(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** A code that was issued, as its holder would be told about it. */
    public record IssuedCode(String code, Purpose purpose, String subject, String email, Instant expiresAt) {}

    /** A code looked up by what someone typed or clicked. */
    public record CodeRecord(
            Purpose purpose,
            String subject,
            String email,
            String issuedBy,
            Instant createdAt,
            Instant expiresAt,
            Instant usedAt,
            Instant replacedAt) {

        public CodeState state(Instant now) {
            if (usedAt != null) {
                return CodeState.USED;
            }
            if (replacedAt != null) {
                return CodeState.REPLACED;
            }
            return expiresAt.isAfter(now) ? CodeState.VALID : CodeState.EXPIRED;
        }
    }

    public enum Purpose {
        PATIENT_ACTIVATION,
        GUARDIAN_INVITATION,
        PASSWORD_RESET
    }

    public enum CodeState {
        /** Never issued (or mistyped). */
        UNKNOWN,
        VALID,
        EXPIRED,
        USED,
        REPLACED
    }

    /** Issues a new code, replacing any unused one of the same purpose and subject. */
    public IssuedCode issue(Purpose purpose, String subject, String email, String issuedBy, Duration timeToLive) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(timeToLive);
        String code = newCode();
        jdbc.update("""
                UPDATE smart_auth.account_code SET replaced_at = ?
                WHERE purpose = ? AND subject = ? AND used_at IS NULL AND replaced_at IS NULL
                """, Timestamp.from(now), purpose.name(), subject);
        jdbc.update(
                """
                INSERT INTO smart_auth.account_code (code_hash, purpose, subject, email, issued_by, created_at,
                    expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                hash(code),
                purpose.name(),
                subject,
                email,
                issuedBy,
                Timestamp.from(now),
                Timestamp.from(expiresAt));
        return new IssuedCode(format(code), purpose, subject, email, expiresAt);
    }

    /** What the code is, without using it. */
    public Optional<CodeRecord> find(String typed) {
        String code = normalise(typed);
        if (code.length() != LENGTH) {
            return Optional.empty();
        }
        List<CodeRecord> found = jdbc.query(
                """
                SELECT purpose, subject, email, issued_by, created_at, expires_at, used_at, replaced_at
                FROM smart_auth.account_code WHERE code_hash = ?
                """,
                (rs, row) -> new CodeRecord(
                        Purpose.valueOf(rs.getString("purpose")),
                        rs.getString("subject"),
                        rs.getString("email"),
                        rs.getString("issued_by"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("expires_at").toInstant(),
                        instant(rs.getTimestamp("used_at")),
                        instant(rs.getTimestamp("replaced_at"))),
                hash(code));
        return found.stream().findFirst();
    }

    public CodeState state(String typed) {
        return find(typed).map(record -> record.state(clock.instant())).orElse(CodeState.UNKNOWN);
    }

    /**
     * Uses the code: succeeds once, for a valid code of {@code purpose}; a second use, even at the same moment on
     * another node, finds it used.
     */
    public Optional<CodeRecord> consume(String typed, Purpose purpose) {
        String code = normalise(typed);
        if (code.length() != LENGTH) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        int updated = jdbc.update("""
                UPDATE smart_auth.account_code SET used_at = ?
                WHERE code_hash = ? AND purpose = ? AND used_at IS NULL AND replaced_at IS NULL AND expires_at > ?
                """, Timestamp.from(now), hash(code), purpose.name(), Timestamp.from(now));
        return updated == 1 ? find(code) : Optional.empty();
    }

    /** The unused, unexpired codes of a purpose and subject (e.g. an open invitation). */
    public List<CodeRecord> open(Purpose purpose, String subject) {
        return jdbc.query(
                """
                SELECT purpose, subject, email, issued_by, created_at, expires_at, used_at, replaced_at
                FROM smart_auth.account_code WHERE purpose = ? AND subject = ? ORDER BY created_at DESC
                """,
                (rs, row) -> new CodeRecord(
                        Purpose.valueOf(rs.getString("purpose")),
                        rs.getString("subject"),
                        rs.getString("email"),
                        rs.getString("issued_by"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("expires_at").toInstant(),
                        instant(rs.getTimestamp("used_at")),
                        instant(rs.getTimestamp("replaced_at"))),
                purpose.name(),
                subject);
    }

    static String normalise(String typed) {
        if (typed == null) {
            return "";
        }
        StringBuilder code = new StringBuilder();
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            char mapped = switch (c) {
                case 'O' -> '0';
                case 'I', 'L' -> '1';
                default -> c;
            };
            if (ALPHABET.indexOf(mapped) >= 0) {
                code.append(mapped);
            } else if (mapped != '-' && !Character.isWhitespace(mapped)) {
                return "";
            }
        }
        return code.toString();
    }

    private String newCode() {
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    private static String format(String code) {
        StringBuilder formatted = new StringBuilder();
        for (int i = 0; i < code.length(); i += 4) {
            if (i > 0) {
                formatted.append('-');
            }
            formatted.append(code, i, Math.min(code.length(), i + 4));
        }
        return formatted.toString();
    }

    /** The stored form of a code as typed (normalised, then SHA-256): also for MFA recovery codes. */
    public static String hashOf(String typed) {
        return hash(normalise(typed));
    }

    static String hash(String normalisedCode) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(normalisedCode.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
