package org.caregate.server.portal.account;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.caregate.smart.authserver.account.AccountCodes;
import org.caregate.smart.authserver.account.AccountCodes.CodeRecord;
import org.caregate.smart.authserver.account.AccountCodes.CodeState;
import org.caregate.smart.authserver.account.AccountCodes.Purpose;
import org.caregate.smart.authserver.account.PasswordRules;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.user.UserKind;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.stereotype.Service;

/**
 * Redeeming an activation code or a guardian invitation ({@link AccountInvitations}) for an account:
 * <ul>
 *   <li>a patient's code makes a patient account for that Patient, only if the patient is 18 or older today: a
 *       patient aged 12–17 is told, in plain words, that they cannot have one yet and from which day they can (the
 *       code is not used up); a child under 12 is told that a parent or guardian gets the access;</li>
 *   <li>a guardian's invitation makes a guardian account for that RelatedPerson, or, when the guardian is already
 *       signed in with a guardian account, adds the child to it (one account holds several children);</li>
 *   <li>an expired code says so and what to do; a used or replaced one says so too. A code is used once.</li>
 * </ul>
 * Problems are messages ({@code setup.*}) for the page to show in the reader's language.
 */
@Service
public class AccountSetup {

    private static final String USERNAME_PATTERN = "[a-z0-9][a-z0-9._-]{2,63}";
    private static final String EMAIL_PATTERN = "[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{2,63}";

    private final AccountCodes codes;
    private final PersonRecords records;
    private final UserAccountService users;
    private final PasswordRules passwordRules;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final java.time.Clock clock;

    public AccountSetup(
            AccountCodes codes,
            PersonRecords records,
            UserAccountService users,
            PasswordRules passwordRules,
            org.springframework.context.ApplicationEventPublisher events,
            java.time.Clock clock) {
        this.events = events;
        this.clock = clock;
        this.codes = codes;
        this.records = records;
        this.users = users;
        this.passwordRules = passwordRules;
    }

    /** What the person types on the page. */
    public record Form(String code, String username, String email, String password, String confirmation) {

        public Form withoutPasswords() {
            return new Form(code, username, email, "", "");
        }

        static Form of(String code) {
            return new Form(code == null ? "" : code, "", "", "", "");
        }
    }

    /**
     * What a code opens, for the page to say before anything is typed.
     *
     * @param state      the code's state
     * @param purpose    activation or invitation (null when unknown)
     * @param personName whose account it makes
     * @param refusal    why it cannot be used now although valid (age), or null
     * @param email      the address it was sent to, to prefill
     */
    public record CodeCheck(
            CodeState state, Purpose purpose, String personName, MessageSourceResolvable refusal, String email) {

        public boolean usable() {
            return state == CodeState.VALID && refusal == null;
        }
    }

    /** The result of a redemption: the account's user name, or the problems. */
    public record Outcome(String username, boolean addedToExistingAccount, List<MessageSourceResolvable> problems) {}

    public CodeCheck check(String code) {
        Optional<CodeRecord> record = codes.find(code).filter(r -> r.purpose() != Purpose.PASSWORD_RESET);
        if (record.isEmpty()) {
            return new CodeCheck(CodeState.UNKNOWN, null, null, null, null);
        }
        CodeRecord found = record.get();
        CodeState state = codes.state(code);
        String id = found.subject().substring(found.subject().indexOf('/') + 1);
        if (found.purpose() == Purpose.PATIENT_ACTIVATION) {
            Optional<Patient> patient = records.patient(id);
            if (patient.isEmpty()) {
                return new CodeCheck(CodeState.UNKNOWN, null, null, null, null);
            }
            return new CodeCheck(
                    state,
                    found.purpose(),
                    PersonRecords.name(patient.get().getName()),
                    ageRefusal(patient.get()),
                    found.email());
        }
        Optional<RelatedPerson> relatedPerson = records.relatedPerson(id);
        if (relatedPerson.isEmpty()) {
            return new CodeCheck(CodeState.UNKNOWN, null, null, null, null);
        }
        return new CodeCheck(
                state, found.purpose(), PersonRecords.name(relatedPerson.get().getName()), null, found.email());
    }

    /** Creates the account (or links the child to {@code signedIn}, a guardian's account). */
    public Outcome redeem(Form form, UserAccount signedIn) {
        CodeCheck check = check(form.code());
        if (!check.usable()) {
            return problems(check.refusal() != null ? check.refusal() : message("setup.code." + check.state()));
        }
        CodeRecord record = codes.find(form.code()).orElseThrow();
        String subjectId = record.subject().substring(record.subject().indexOf('/') + 1);
        if (record.purpose() == Purpose.GUARDIAN_INVITATION
                && signedIn != null
                && signedIn.kind() == UserKind.RELATED_PERSON) {
            RelatedPerson relatedPerson = records.relatedPerson(subjectId).orElseThrow();
            if (codes.consume(form.code(), Purpose.GUARDIAN_INVITATION).isEmpty()) {
                return problems(message("setup.code.USED"));
            }
            records.linkToAccount(relatedPerson, signedIn.username());
            events.publishEvent(org.caregate.smart.authserver.account.AccountEvent.of(
                    org.caregate.smart.authserver.account.AccountEvent.Type.ACCOUNT_ACTIVATED,
                    signedIn.username(),
                    null,
                    "guardian invitation for " + record.subject() + " added",
                    clock.instant()));
            return new Outcome(signedIn.username(), true, List.of());
        }
        List<MessageSourceResolvable> problems = new ArrayList<>();
        String username = trim(form.username()).toLowerCase(Locale.ROOT);
        String email = trim(form.email());
        if (!username.matches(USERNAME_PATTERN)) {
            problems.add(message("setup.username.invalid"));
        } else if (users.exists(username)) {
            problems.add(message("setup.username.taken", username));
        }
        if (!email.matches(EMAIL_PATTERN)) {
            problems.add(message("setup.email.invalid"));
        }
        problems.addAll(passwordRules.problems(form.password(), form.confirmation(), username));
        if (!problems.isEmpty()) {
            return new Outcome(null, false, problems);
        }
        if (codes.consume(form.code(), record.purpose()).isEmpty()) {
            return problems(message("setup.code.USED"));
        }
        if (record.purpose() == Purpose.PATIENT_ACTIVATION) {
            if (!users.findByFhirUser(record.subject()).isEmpty()) {
                return problems(message("setup.already-has-account"));
            }
            users.create(
                    username,
                    form.password(),
                    check.personName(),
                    record.subject(),
                    UserKind.PATIENT,
                    null,
                    Set.of(),
                    email);
        } else {
            RelatedPerson relatedPerson = records.relatedPerson(subjectId).orElseThrow();
            if (!users.create(
                    username,
                    form.password(),
                    check.personName(),
                    record.subject(),
                    UserKind.RELATED_PERSON,
                    null,
                    Set.of(),
                    email)) {
                return problems(message("setup.username.taken", username));
            }
            records.linkToAccount(relatedPerson, username);
        }
        events.publishEvent(org.caregate.smart.authserver.account.AccountEvent.of(
                org.caregate.smart.authserver.account.AccountEvent.Type.ACCOUNT_CREATED,
                username,
                null,
                record.purpose() + " for " + record.subject(),
                clock.instant()));
        return new Outcome(username, false, List.of());
    }

    /** A patient's age decides: 18 or older may; 12–17 may not yet (and from when); under 12 never themselves. */
    private MessageSourceResolvable ageRefusal(Patient patient) {
        Optional<Integer> age = records.age(patient);
        if (age.isEmpty()) {
            return message("setup.age.unknown");
        }
        if (age.get() >= 18) {
            return null;
        }
        if (age.get() >= 12) {
            LocalDate from = records.eighteenthBirthday(patient);
            return message(
                    "setup.age.teen", java.util.Date.from(from.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC)));
        }
        return message("setup.age.child");
    }

    private static Outcome problems(MessageSourceResolvable problem) {
        return new Outcome(null, false, List.of(problem));
    }

    private static MessageSourceResolvable message(String code, Object... arguments) {
        return new DefaultMessageSourceResolvable(new String[] {code}, arguments);
    }

    private static String trim(String value) {
        return value == null ? "" : value.strip();
    }
}
