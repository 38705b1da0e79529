package org.caregate.server.portal.account;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import java.text.Normalizer;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.caregate.smart.authserver.account.AccountProperties;
import org.caregate.smart.authserver.account.LoginAttempts;
import org.caregate.smart.authserver.account.PasswordRules;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.user.UserKind;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Self-registration by proving identity ({@code /portal/account/register}): family name, given name, birth date and
 * medical record number must all match one Patient (names compared without case or accents). The answer never says
 * which detail was wrong. After {@code caregate.accounts.identity-proofing-max-attempts} (3) failed attempts for an
 * MRN, or in one browser session, proofing is locked for {@code identity-proofing-lock} (1 hour). Only patients 18
 * or older get an account; the same age rules as activation apply ({@link AccountSetup}).
 */
@Service
public class IdentityProofing {

    public static final String MRN_SYSTEM = "https://fhir.caregate.example/sid/mrn";
    private static final String USERNAME_PATTERN = "[a-z0-9][a-z0-9._-]{2,63}";
    private static final String EMAIL_PATTERN = "[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{2,63}";

    private final DaoRegistry daoRegistry;
    private final PersonRecords records;
    private final UserAccountService users;
    private final PasswordRules passwordRules;
    private final LoginAttempts attempts;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final Clock clock;

    public IdentityProofing(
            org.springframework.context.ApplicationEventPublisher events,
            DaoRegistry daoRegistry,
            PersonRecords records,
            UserAccountService users,
            PasswordRules passwordRules,
            DataSource dataSource,
            Clock clock,
            AccountProperties properties) {
        this.events = events;
        this.clock = clock;
        this.daoRegistry = daoRegistry;
        this.records = records;
        this.users = users;
        this.passwordRules = passwordRules;
        this.attempts = new LoginAttempts(
                new JdbcTemplate(dataSource),
                clock,
                properties.identityProofingMaxAttempts(),
                properties.identityProofingLock());
    }

    /** What the person types. */
    public record Form(
            String familyName,
            String givenName,
            String birthDate,
            String mrn,
            String username,
            String email,
            String password,
            String confirmation) {

        static Form empty() {
            return new Form("", "", "", "", "", "", "", "");
        }

        Form withoutPasswords() {
            return new Form(familyName, givenName, birthDate, mrn, username, email, "", "");
        }
    }

    /** The account's user name, or the problems; {@code locked} when proofing is locked now. */
    public record Outcome(String username, List<MessageSourceResolvable> problems, boolean locked) {}

    public long lockMinutes(AccountProperties properties) {
        return properties.identityProofingLock().toMinutes();
    }

    public Outcome register(Form form, String sessionKey) {
        String mrnKey = "proofing:mrn:" + normalise(form.mrn());
        String sessionLock = "proofing:session:" + sessionKey;
        if (attempts.lockedUntil(mrnKey).isPresent()
                || attempts.lockedUntil(sessionLock).isPresent()) {
            return new Outcome(null, List.of(message("register.locked")), true);
        }
        List<MessageSourceResolvable> problems = new ArrayList<>();
        String username = trim(form.username()).toLowerCase(Locale.ROOT);
        if (!username.matches(USERNAME_PATTERN)) {
            problems.add(message("setup.username.invalid"));
        } else if (users.exists(username)) {
            problems.add(message("setup.username.taken", username));
        }
        if (!trim(form.email()).matches(EMAIL_PATTERN)) {
            problems.add(message("setup.email.invalid"));
        }
        problems.addAll(passwordRules.problems(form.password(), form.confirmation(), username));
        if (!problems.isEmpty()) {
            return new Outcome(null, problems, false);
        }
        Optional<Patient> match = match(form);
        if (match.isEmpty()) {
            boolean locked = attempts.recordFailure(mrnKey) | attempts.recordFailure(sessionLock);
            events.publishEvent(org.caregate.smart.authserver.account.AccountEvent.failed(
                    org.caregate.smart.authserver.account.AccountEvent.Type.LOGIN_FAILED,
                    username,
                    "identity proofing did not match" + (locked ? "; locked" : ""),
                    clock.instant()));
            return new Outcome(null, List.of(message(locked ? "register.locked" : "register.no-match")), locked);
        }
        attempts.clear(mrnKey);
        attempts.clear(sessionLock);
        Patient patient = match.get();
        int age = records.age(patient).orElse(-1);
        if (age < 0) {
            return new Outcome(null, List.of(message("setup.age.unknown")), false);
        }
        if (age < 12) {
            return new Outcome(null, List.of(message("setup.age.child")), false);
        }
        if (age < 18) {
            return new Outcome(
                    null,
                    List.of(message(
                            "register.age.teen",
                            java.util.Date.from(records.eighteenthBirthday(patient)
                                    .atTime(12, 0)
                                    .toInstant(java.time.ZoneOffset.UTC)))),
                    false);
        }
        String fhirUser = "Patient/" + patient.getIdPart();
        if (!users.findByFhirUser(fhirUser).isEmpty()) {
            return new Outcome(null, List.of(message("setup.already-has-account")), false);
        }
        if (!users.create(
                username,
                form.password(),
                PersonRecords.name(patient.getName()),
                fhirUser,
                UserKind.PATIENT,
                null,
                Set.of(),
                trim(form.email()))) {
            return new Outcome(null, List.of(message("setup.username.taken", username)), false);
        }
        events.publishEvent(org.caregate.smart.authserver.account.AccountEvent.of(
                org.caregate.smart.authserver.account.AccountEvent.Type.ACCOUNT_CREATED,
                username,
                null,
                "identity proofing for " + fhirUser,
                clock.instant()));
        return new Outcome(username, List.of(), false);
    }

    private Optional<Patient> match(Form form) {
        String mrn = trim(form.mrn());
        LocalDate birthDate;
        try {
            birthDate = LocalDate.parse(trim(form.birthDate()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        if (mrn.isEmpty() || mrn.length() > 64) {
            return Optional.empty();
        }
        SearchParameterMap search =
                SearchParameterMap.newSynchronous().add(Patient.SP_IDENTIFIER, new TokenParam(MRN_SYSTEM, mrn));
        List<Patient> found =
                daoRegistry
                        .getResourceDao(Patient.class)
                        .searchForResources(search, new SystemRequestDetails())
                        .stream()
                        .map(Patient.class::cast)
                        .toList();
        if (found.size() != 1) {
            return Optional.empty();
        }
        Patient patient = found.get(0);
        boolean nameMatches = patient.getName().stream().anyMatch(name -> sameName(name, form));
        boolean birthDateMatches =
                patient.hasBirthDate() && records.birthDate(patient).equals(birthDate);
        return nameMatches && birthDateMatches ? Optional.of(patient) : Optional.empty();
    }

    private static boolean sameName(HumanName name, Form form) {
        return normalise(name.getFamily()).equals(normalise(form.familyName()))
                && name.getGiven().stream()
                        .anyMatch(given -> normalise(given.getValue()).equals(normalise(form.givenName())));
    }

    /** Lower case, no accents, no spaces or punctuation: "García-López" = "garcia lopez". */
    static String normalise(String value) {
        if (value == null) {
            return "";
        }
        return Normalizer.normalize(value, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}]", "");
    }

    private static MessageSourceResolvable message(String code, Object... arguments) {
        return new DefaultMessageSourceResolvable(new String[] {code}, arguments);
    }

    private static String trim(String value) {
        return value == null ? "" : value.strip();
    }
}
