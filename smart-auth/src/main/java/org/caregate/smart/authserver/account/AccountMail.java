package org.caregate.smart.authserver.account;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.MessageSource;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * CareGate's e-mails to people about their accounts (activation, invitations, password resets, reminders), in
 * their language: subject and text are the messages {@code mail.<kind>.subject} and {@code mail.<kind>.body} of
 * the {@link MessageSource}, with the arguments given. Sent over SMTP by Spring's {@link JavaMailSender}
 * ({@code spring.mail.host}, {@code spring.mail.port}, ...). Without {@code spring.mail.host} nothing can be sent:
 * the mail is refused with a {@link MailUnavailableException} (and logged without its links), so a page can say so.
 */
public class AccountMail {

    private static final Logger log = LoggerFactory.getLogger(AccountMail.class);

    private final ObjectProvider<JavaMailSender> sender;
    private final MessageSource messages;
    private final String from;

    public AccountMail(ObjectProvider<JavaMailSender> sender, MessageSource messages, String from) {
        this.sender = sender;
        this.messages = messages;
        this.from = from;
    }

    /** Mail cannot be sent: no SMTP server configured, or it refused. */
    public static class MailUnavailableException extends RuntimeException {
        public MailUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Sends the e-mail {@code kind} to {@code to} in {@code locale}. */
    public void send(String to, String kind, Locale locale, Object... arguments) {
        JavaMailSender mailSender = sender.getIfAvailable();
        if (mailSender == null) {
            log.warn("No SMTP server configured (spring.mail.host): the '{}' e-mail to {} was not sent", kind, to);
            throw new MailUnavailableException("no SMTP server is configured (spring.mail.host)", null);
        }
        String subject = messages.getMessage("mail." + kind + ".subject", arguments, locale);
        String body = messages.getMessage("mail." + kind + ".body", arguments, locale);
        try {
            MimeMessage message = mailSender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, false, "UTF-8");
            helper.setFrom(new InternetAddress(from));
            helper.setTo(new InternetAddress(to, true));
            helper.setSubject(subject);
            helper.setText(body, false);
            message.setHeader("Content-Language", locale.getLanguage());
            mailSender.send(message);
        } catch (MailException | jakarta.mail.MessagingException e) {
            log.warn("The '{}' e-mail to {} could not be sent: {}", kind, to, e.toString());
            throw new MailUnavailableException("the e-mail could not be sent: " + e.getMessage(), e);
        }
    }
}
