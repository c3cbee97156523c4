package io.restrictd.syncer.ad;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restrictd.syncer.SyncerSettings;
import io.restrictd.syncer.ldap.LdapFatalException;
import io.restrictd.syncer.source.Syncer;
import io.restrictd.testkit.KafkaBroker;
import io.restrictd.testkit.SambaAdDc;
import java.time.Clock;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** dirsync mode against a real Samba AD DC and a real broker. */
class AdDirsyncIT extends AdScenarios {
    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();
    @RegisterExtension
    static SambaAdDc ad = new SambaAdDc();

    AdDirsyncIT() {
        super(kafka, ad, SyncerSettings.Mode.DIRSYNC, "dirsync");
    }

    @Test
    @Order(10)
    void shouldStopNamingPollWhenTheBindAccountLacksTheDirsyncRight() throws Exception {
        ad.load(lowPrivileged("reader", "Reader-pw1"));
        Running s = new Running(new Syncer(settings("reader@example.org", "Reader-pw1"), Clock.systemUTC()));
        s.thread.join(60_000);
        assertInstanceOf(LdapFatalException.class, s.failure.get(), String.valueOf(s.failure.get()));
        String message = s.failure.get().getMessage();
        assertTrue(message.contains("lacks the DirSync right") && message.contains("ldap.mode: poll"), message);
    }
}
