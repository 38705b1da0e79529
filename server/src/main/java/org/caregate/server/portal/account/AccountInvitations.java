package org.caregate.server.portal.account;

import java.util.Locale;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.authserver.account.AccountCodes;
import org.caregate.smart.authserver.account.AccountCodes.IssuedCode;
import org.caregate.smart.authserver.account.AccountCodes.Purpose;
import org.caregate.smart.authserver.account.AccountMail;
import org.caregate.smart.authserver.account.AccountProperties;
import org.caregate.smart.authserver.user.UserAccount;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What the hospital hands out so people can make their own accounts: a patient's activation code (printed at a
 * visit or sent by mail or e-mail; {@code caregate.accounts.activation-code-time-to-live}, 30 days) and a guardian's
 * e-mailed invitation tied to the documented RelatedPerson ({@code invitation-time-to-live}, 90 days). Issuing again
 * (a resent invitation) replaces the earlier code. Each e-mail holds a link to {@value #SETUP_PAGE} with the code.
 */
@Service
public class AccountInvitations {

    public static final String SETUP_PAGE = "/portal/account/activate";

    private final AccountCodes codes;
    private final AccountMail mail;
    private final AccountProperties properties;
    private final PersonRecords records;
    private final SmartAuthUrls urls;

    public AccountInvitations(
            AccountCodes codes,
            AccountMail mail,
            AccountProperties properties,
            PersonRecords records,
            SmartAuthUrls urls) {
        this.codes = codes;
        this.mail = mail;
        this.properties = properties;
        this.records = records;
        this.urls = urls;
    }

    /** The outcome: the code (to print), and whether it went out by e-mail, or why not. */
    public record Issued(IssuedCode code, String emailedTo, String mailProblem) {}

    /** An activation code for Patient/{@code patientId}, e-mailed to {@code email} when one is given or on record. */
    public Issued activationCode(UserAccount staff, Patient patient, String email, Locale locale) {
        String address = blankToNull(email) != null
                ? email.strip()
                : PersonRecords.email(patient.getTelecom()).orElse(null);
        IssuedCode code = codes.issue(
                Purpose.PATIENT_ACTIVATION,
                "Patient/" + patient.getIdPart(),
                address,
                staff.username(),
                properties.activationCodeTimeToLive());
        return send(code, address, "activation", locale, PersonRecords.name(patient.getName()));
    }

    /** An invitation for RelatedPerson/{@code relatedPersonId}, always e-mailed. */
    public Issued guardianInvitation(UserAccount staff, RelatedPerson relatedPerson, String email, Locale locale) {
        String address = blankToNull(email) != null
                ? email.strip()
                : PersonRecords.email(relatedPerson.getTelecom()).orElse(null);
        IssuedCode code = codes.issue(
                Purpose.GUARDIAN_INVITATION,
                "RelatedPerson/" + relatedPerson.getIdPart(),
                address,
                staff.username(),
                properties.invitationTimeToLive());
        String child = records.patient(
                        relatedPerson.getPatient().getReferenceElement().getIdPart())
                .map(p -> PersonRecords.name(p.getName()))
                .orElse("");
        return send(code, address, "invitation", locale, PersonRecords.name(relatedPerson.getName()), child);
    }

    public String setupLink(String code, Locale locale) {
        return UriComponentsBuilder.fromUriString(urls.url(SETUP_PAGE))
                .queryParam("code", code)
                .queryParam("lang", locale.getLanguage())
                .toUriString();
    }

    private Issued send(IssuedCode code, String address, String kind, Locale locale, String name, String... more) {
        if (address == null) {
            return new Issued(code, null, "no e-mail address");
        }
        Object[] arguments = new Object[4 + more.length];
        arguments[0] = name;
        arguments[1] = setupLink(code.code(), locale);
        arguments[2] = code.code();
        arguments[3] = java.time.format.DateTimeFormatter.ofLocalizedDate(java.time.format.FormatStyle.LONG)
                .withLocale(locale)
                .format(code.expiresAt().atZone(java.time.ZoneOffset.UTC).toLocalDate());
        System.arraycopy(more, 0, arguments, 4, more.length);
        try {
            mail.send(address, kind, locale, arguments);
            return new Issued(code, address, null);
        } catch (AccountMail.MailUnavailableException e) {
            return new Issued(code, null, e.getMessage());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
