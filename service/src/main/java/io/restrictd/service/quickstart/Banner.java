package io.restrictd.service.quickstart;

import io.restrictd.syncer.ldap.DemoDirectory;
import java.nio.file.Path;
import java.util.Map;

/** What the quickstart prints once the pipeline answers: where everything is, and what to try. */
final class Banner {
    private final QuickstartOptions o;
    private final Path config;
    private final String mode;
    private final String launcher;

    Banner(QuickstartOptions options, Path config, String mode, Map<String, String> env) {
        this.o = options;
        this.config = config;
        this.mode = mode;
        this.launcher = env.getOrDefault("RESTRICTD_LAUNCHER", "restrictd");
    }

    String text() {
        int sm = o.port(QuickstartOptions.SOCKETMAP);
        int policy = o.port(QuickstartOptions.POLICY);
        int http = o.port(QuickstartOptions.HTTP);
        int admin = o.port(QuickstartOptions.ADMIN);
        StringBuilder b = new StringBuilder();
        b.append("\nrestrictd quickstart is ready: directory -> syncer -> Kafka -> lookup node, in this process.\n\n");
        b.append("  socketmap   127.0.0.1:").append(sm).append("      policy 127.0.0.1:").append(policy).append('\n');
        b.append("  admin API   http://127.0.0.1:").append(http).append("/status      health http://127.0.0.1:")
                .append(admin).append("/healthcheck\n");
        if (o.demo()) {
            b.append("  demo LDAP   ldap://127.0.0.1:").append(o.port(QuickstartOptions.LDAP)).append("  base ")
                    .append(DemoDirectory.BASE_DN).append(", bind ").append(DemoDirectory.BIND_DN).append(" / ")
                    .append(DemoDirectory.PASSWORD).append(" (polled every ").append(o.pollInterval()).append(")\n");
        } else {
            b.append("  directory   ").append(String.join(" ", o.ldapUrls())).append(" (mode ").append(mode)
                    .append(")\n");
        }
        b.append("  state       ").append(o.data().toAbsolutePath())
                .append(" (broker log, store, demo directory; kept across restarts)\n");
        b.append("  config      ").append(config.toAbsolutePath()).append("\n\n");
        b.append("Postfix main.cf:\n");
        b.append("  smtpd_sender_restrictions = check_sender_access socketmap:inet:127.0.0.1:").append(sm)
                .append(":sender\n");
        b.append("  # or, as a policy service:  check_policy_service inet:127.0.0.1:").append(policy).append("\n\n");
        b.append("Try it (in another terminal):\n");
        if (o.demo()) {
            String ldap = "ldap://127.0.0.1:" + o.port(QuickstartOptions.LDAP);
            b.append("  # alice is restricted in the demo directory; Postfix's own client sees it:\n");
            b.append("  postmap -q alice@example.org socketmap:inet:127.0.0.1:").append(sm).append(":sender\n");
            b.append("  ").append(launcher).append(" lookup alice@example.org --server 127.0.0.1:").append(sm)
                    .append("        # the same, without Postfix\n");
            b.append("  # restrict bob in LDAP; the answer changes within a poll:\n");
            b.append("  printf 'dn: uid=bob,ou=people,dc=example,dc=org\\nchangetype: modify\\nreplace: ")
                    .append("smtpdSenderRestrictions\\nsmtpdSenderRestrictions: TRUE\\n' | ldapmodify -x -H ")
                    .append(ldap).append(" -D ").append(DemoDirectory.BIND_DN).append(" -w ")
                    .append(DemoDirectory.PASSWORD).append('\n');
            b.append("  ").append(launcher).append(" demo restrict bob@example.org --ldap-port ")
                    .append(o.port(QuickstartOptions.LDAP)).append("      # the same, without ldap-utils")
                    .append(" (demo lift ... undoes it)\n");
            b.append("  postmap -q bob@example.org socketmap:inet:127.0.0.1:").append(sm).append(":sender\n");
        } else {
            b.append("  postmap -q someone@example.org socketmap:inet:127.0.0.1:").append(sm).append(":sender\n");
            b.append("  ").append(launcher).append(" lookup someone@example.org --server 127.0.0.1:").append(sm)
                    .append('\n');
        }
        b.append("  # restrict from the abuse desk (CLI), with a reason and an expiry:\n");
        b.append("  ").append(launcher).append(" restrict add --kind sender --subject spammer@example.net")
                .append(" --action 'REJECT Spam sent from this account' --reason 'quickstart' --ttl 1h --config ")
                .append(config.toAbsolutePath()).append('\n');
        b.append("  # explain an answer (which keys were tried, which restriction matched, why):\n");
        b.append("  curl -s http://127.0.0.1:").append(http).append("/restrictions/alice@example.org\n\n");
        b.append("Ctrl-C (SIGTERM) stops it; run the same command again to resume from the kept state.\n");
        return b.toString();
    }
}
