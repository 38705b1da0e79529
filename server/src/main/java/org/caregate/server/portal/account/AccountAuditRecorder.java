package org.caregate.server.portal.account;

import java.time.Clock;
import java.util.Date;
import org.caregate.server.access.AccessFactsResolver;
import org.caregate.server.audit.AuditEventWriter;
import org.caregate.smart.authserver.account.AccountEvent;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Records every {@link AccountEvent}, durably before the request that caused it is answered, (sign-ins and failed ones, lockouts, account changes, approvals and
 * revocations of apps) in the audit trail as an AuditEvent, through the audit trail's own writer. Sign-ins follow
 * IHE BALP's authentication pattern (DICOM 110114 User Authentication, subtype 110122 Login); the others are DICOM
 * 110113 Security Alert with a subtype from {@value #EVENT_SYSTEM}. The person is an agent by user name (as typed
 * for a failed sign-in), never by reference, so these events are in no patient's compartment; an administrator who
 * acted is a second, requesting agent.
 */
@Component
class AccountAuditRecorder {

    static final String EVENT_SYSTEM = "https://fhir.caregate.example/CodeSystem/account-event";
    private static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";

    private final AuditEventWriter writer;
    private final UserAccountService accounts;
    private final Clock clock;

    AccountAuditRecorder(AuditEventWriter writer, UserAccountService accounts, Clock clock) {
        this.writer = writer;
        this.accounts = accounts;
        this.clock = clock;
    }

    @EventListener
    void record(AccountEvent event) {
        writer.store(java.util.List.of(auditEvent(event)));
    }

    AuditEvent auditEvent(AccountEvent event) {
        AuditEvent audit = new AuditEvent();
        boolean login = event.type() == AccountEvent.Type.LOGIN || event.type() == AccountEvent.Type.LOGIN_FAILED;
        if (login) {
            audit.setType(new Coding(DICOM, "110114", "User Authentication"));
            audit.addSubtype(new Coding(DICOM, "110122", "Login"));
        } else {
            audit.setType(new Coding(DICOM, "110113", "Security Alert"));
        }
        audit.addSubtype(new Coding(EVENT_SYSTEM, event.type().name(), label(event.type())));
        audit.setAction(AuditEvent.AuditEventAction.E);
        audit.setRecorded(Date.from(event.at() == null ? clock.instant() : event.at()));
        audit.setOutcome(event.success() ? AuditEventOutcome._0 : AuditEventOutcome._4);
        if (event.detail() != null) {
            audit.setOutcomeDesc(event.detail());
        }
        audit.addAgent(person(event.username()).setRequestor(event.actor() == null));
        if (event.actor() != null) {
            audit.addAgent(person(event.actor()).setRequestor(true));
        }
        audit.getSource()
                .setSite("CareGate")
                .setObserver(new Reference().setDisplay("CareGate authorization server"))
                .addType(new Coding(
                        "http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));
        if (event.detail() != null
                && (event.type() == AccountEvent.Type.APP_APPROVED || event.type() == AccountEvent.Type.APP_REVOKED)) {
            audit.addEntity()
                    .setWhat(new Reference()
                            .setIdentifier(new Identifier()
                                    .setSystem("https://fhir.caregate.example/sid/client-id")
                                    .setValue(event.detail())));
        }
        return audit;
    }

    private AuditEvent.AuditEventAgentComponent person(String username) {
        AuditEvent.AuditEventAgentComponent agent = new AuditEvent.AuditEventAgentComponent();
        String name = username == null ? "" : username;
        // by identifier, not by reference: account events stay out of patients' compartments (and their counts)
        Reference who = new Reference()
                .setIdentifier(new Identifier()
                        .setSystem(AccessFactsResolver.USER_SYSTEM)
                        .setValue(name));
        accounts.find(name).map(UserAccount::displayName).ifPresent(who::setDisplay);
        agent.setWho(who).setAltId(name);
        agent.addRole()
                .addCoding(new Coding(
                        "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient"));
        return agent;
    }

    private static String label(AccountEvent.Type type) {
        String words = type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
