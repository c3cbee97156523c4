package io.restrictd.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PostfixIT {

    private static final String TABLE =
            "inline:{ {bad@example.org=REJECT This account is not allowed to send emails} }";

    @RegisterExtension
    static Slapd slapd = new Slapd();

    @RegisterExtension
    static PostfixSmtpd smtpd = new PostfixSmtpd("check_sender_access " + TABLE);

    @Test
    void shouldRejectARestrictedSenderAndAcceptOthers() {
        String rejected = smtpd.swaks("bad@example.org", "postmaster@localhost");
        assertTrue(rejected.contains("554 5.7.1 <bad@example.org>: Sender address rejected: "
                + "This account is not allowed to send emails"), rejected);

        String accepted = smtpd.swaks("good@example.org", "postmaster@localhost");
        assertTrue(accepted.contains("250 2.0.0 Ok: queued as"), accepted);
        assertTrue(smtpd.log().contains("NOQUEUE: reject: RCPT from"), smtpd::log);
    }

    @Test
    void shouldLookUpWithPostmap() {
        CommandResult found = Postfix.postmap("bad@example.org", TABLE);
        assertEquals(0, found.exitCode(), found::toString);
        assertEquals("REJECT This account is not allowed to send emails", found.value());

        CommandResult missing = Postfix.postmap("good@example.org", TABLE);
        assertEquals(1, missing.exitCode(), missing::toString);
        assertEquals("", missing.stdout());

        CommandResult batch = Postfix.postmapBatch(List.of("good@example.org", "bad@example.org"), TABLE);
        assertEquals(List.of("bad@example.org\tREJECT This account is not allowed to send emails"), batch.lines());
    }

    /** The setup restrictd replaces: Postfix's own ldap: table asking slapd on every lookup. */
    @Test
    void shouldAnswerLikeTheOriginalLdapTable(@TempDir Path tmp) throws IOException {
        slapd.ldapadd("""
                dn: uid=testuser2,ou=people,dc=example,dc=org
                objectClass: inetOrgPerson
                objectClass: restrictdAccount
                uid: testuser2
                cn: Test User 2
                sn: User
                mail: testuser2@example.org
                smtpdSenderRestrictions: TRUE
                """);
        Path cf = tmp.resolve("restricted-senders.cf");
        Files.writeString(cf, """
                server_host = %s
                version = 3
                search_base = %s
                query_filter = (&(smtpdSenderRestrictions=TRUE)(mail=%%s))
                result_attribute = mail
                result_format = REJECT This account is not allowed to send emails, plz talk to abuse@example.org
                """.formatted(slapd.url(), slapd.baseDn()));
        CommandResult result = Postfix.postmap("testuser2@example.org", "ldap:" + cf);
        assertEquals("REJECT This account is not allowed to send emails, plz talk to abuse@example.org",
                result.value(), result::toString);
        assertEquals(1, Postfix.postmap("other@example.org", "ldap:" + cf).exitCode());
    }
}
