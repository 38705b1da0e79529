package org.caregate.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GreenMail, a real SMTP server on a free loopback port, and what a person would read in their inbox. */
public final class Mailbox {

    private static final Pattern LINK = Pattern.compile("(https?://\\S+)");

    private final GreenMail greenMail;

    private Mailbox(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    static Mailbox start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        Runtime.getRuntime().addShutdownHook(new Thread(mail::stop));
        return new Mailbox(mail);
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    /** A received e-mail, decoded. */
    public record Mail(String to, String subject, String language, String text) {

        /** The first link in the text that contains {@code part}. */
        public String link(String part) {
            Matcher matcher = LINK.matcher(text);
            while (matcher.find()) {
                if (matcher.group(1).contains(part)) {
                    return matcher.group(1);
                }
            }
            throw new AssertionError("no link with " + part + " in the e-mail to " + to + ":\n" + text);
        }
    }

    public List<Mail> to(String address) {
        return Arrays.stream(greenMail.getReceivedMessages())
                .filter(m -> sentTo(m, address))
                .map(Mailbox::read)
                .toList();
    }

    /** The last e-mail to {@code address}; fails when there is none. */
    public Mail last(String address) {
        List<Mail> mails = to(address);
        assertThat(mails).as("e-mails to %s", address).isNotEmpty();
        return mails.get(mails.size() - 1);
    }

    private static boolean sentTo(MimeMessage message, String address) {
        try {
            Address[] recipients = message.getAllRecipients();
            return recipients != null
                    && Arrays.stream(recipients).anyMatch(r -> r.toString().equalsIgnoreCase(address));
        } catch (MessagingException e) {
            return false;
        }
    }

    private static Mail read(MimeMessage message) {
        try {
            String[] language = message.getHeader("Content-Language");
            return new Mail(
                    message.getAllRecipients()[0].toString(),
                    message.getSubject(),
                    language == null ? null : language[0],
                    message.getContent().toString());
        } catch (MessagingException | IOException e) {
            throw new AssertionError(e);
        }
    }
}
