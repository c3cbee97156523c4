package io.restrictd.service.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.restrictd.service.RestrictdApplication;
import io.restrictd.service.cli.SocketmapLookup;
import io.restrictd.syncer.ldap.DemoDirectory;
import io.restrictd.syncer.ldap.DemoDirectoryException;
import io.restrictd.syncer.ldap.DirectoryProbe;
import io.restrictd.syncer.ldap.LdapFatalException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the quickstart: checks that the state directory is writable and every port free (one line and exit 2
 * naming the one at fault, before anything listens), starts the demo directory (or probes the real one),
 * writes the all-in-one configuration it generates into the state directory, prints what to try once the
 * pipeline answers, and runs all-in-one with that configuration in this process.
 */
final class Quickstart {
    static final int EXIT_USAGE = 2;
    /** A demo account the seed restricts: its OK answer proves directory → syncer → broker → node. */
    static final String PROBE_RESTRICTED = "alice@example.org";
    private static final Duration READY_WAIT = Duration.ofMinutes(3);

    private final QuickstartOptions options;
    private final Clock clock;
    private final Map<String, String> env;
    /** Held for the life of the process: released by the OS when it ends. */
    private FileLock lock;

    Quickstart(QuickstartOptions options, Clock clock, Map<String, String> env) {
        this.options = options;
        this.clock = clock;
        this.env = env;
    }

    void run() throws Exception {
        try {
            prepareData();
            checkPorts();
            String mode;
            String password = null;
            if (options.demo()) {
                DemoDirectory demo = DemoDirectory.start("127.0.0.1", options.port(QuickstartOptions.LDAP),
                        options.demoLdif(), options.data().resolve("directory.ldif"));
                Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-directory-stop"));
                mode = "poll";
            } else {
                if (options.base() == null) {
                    throw new QuickstartException("--base: required with --ldap (the search base, e.g."
                            + " ou=people,dc=example,dc=org)");
                }
                password = password();
                mode = DirectoryProbe.mode(options.ldapUrls().get(0), options.bindDn(), password);
            }
            Path config = writeConfig(mode, password);
            Thread banner = new Thread(() -> announce(config, mode), "quickstart-banner");
            banner.setDaemon(true);
            banner.start();
            new RestrictdApplication(clock).run("all-in-one", config.toString());
        } catch (QuickstartException | DemoDirectoryException | LdapFatalException e) {
            System.err.println("restrictd quickstart: " + e.getMessage());
            System.err.flush();
            System.exit(EXIT_USAGE);
        }
    }

    /** Creates and locks the state directory: a second quickstart on it stops here, before it changes anything. */
    private void prepareData() {
        Path data = options.data();
        FileChannel channel;
        try {
            Files.createDirectories(data);
            channel = FileChannel.open(data.resolve("quickstart.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
        } catch (IOException | SecurityException e) {
            throw new QuickstartException("--data: " + data + " is not a writable directory ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); pass --data DIR");
        }
        try {
            lock = channel.tryLock();
        } catch (IOException e) {
            lock = null;
        }
        if (lock == null) {
            throw new QuickstartException("--data: " + data.toAbsolutePath() + " is in use by another restrictd"
                    + " quickstart; stop it first, or pass another --data DIR");
        }
    }

    /** Every port this quickstart will listen on, free now; else one line naming it and its option. */
    private void checkPorts() {
        for (Map.Entry<String, Integer> p : options.ports().entrySet()) {
            if (p.getKey().equals(QuickstartOptions.LDAP) && !options.demo()) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p.getValue()));
            } catch (IOException e) {
                throw new QuickstartException("port " + p.getValue() + " (" + p.getKey() + ") on 127.0.0.1 is taken:"
                        + " stop what listens there, or pass --" + p.getKey() + "-port PORT");
            }
        }
    }

    private String password() {
        if (options.bindDn() == null) {
            return null;
        }
        if (options.passwordFile() == null) {
            throw new QuickstartException("--password-file: required with --bind-dn");
        }
        try {
            List<String> lines = Files.readAllLines(options.passwordFile());
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new QuickstartException("--password-file: " + options.passwordFile() + " is empty");
            }
            return lines.get(0);
        } catch (IOException e) {
            throw new QuickstartException("--password-file: cannot read " + options.passwordFile() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The all-in-one configuration, as YAML (written by Jackson: filters and DNs are quoted as they must be). */
    Path writeConfig(String mode, String password) {
        Map<String, Object> c = new LinkedHashMap<>();
        String kafka = "127.0.0.1:" + options.port(QuickstartOptions.KAFKA);
        c.put("broker", Map.of("dataDir", options.data().resolve("kafka").toAbsolutePath().toString(),
                "listen", kafka, "controllerListen", "127.0.0.1:" + options.port(QuickstartOptions.CONTROLLER)));
        c.put("kafka", Map.of("bootstrapServers", kafka));
        c.put("store", Map.of("path", options.data().resolve("store").toAbsolutePath().toString()));
        c.put("socketmap", Map.of("listen", "127.0.0.1:" + options.port(QuickstartOptions.SOCKETMAP)));
        c.put("policy", Map.of("listen", "127.0.0.1:" + options.port(QuickstartOptions.POLICY)));
        c.put("syncer", Map.of("id", "quickstart"));
        Map<String, Object> ldap = new LinkedHashMap<>();
        ldap.put("mode", mode);
        ldap.put("filter", options.demo() ? "(smtpdSenderRestrictions=TRUE)" : options.filter());
        if (options.demo()) {
            ldap.put("urls", List.of("ldap://127.0.0.1:" + options.port(QuickstartOptions.LDAP)));
            ldap.put("bindDn", DemoDirectory.BIND_DN);
            ldap.put("bindPassword", DemoDirectory.PASSWORD);
            ldap.put("baseDn", DemoDirectory.PEOPLE_DN);
            ldap.put("pollInterval", options.pollInterval());
        } else {
            ldap.put("urls", options.ldapUrls());
            ldap.put("baseDn", options.base());
            if (options.bindDn() != null) {
                ldap.put("bindDn", options.bindDn());
                ldap.put("bindPasswordFile", options.passwordFile().toAbsolutePath().toString());
            }
        }
        c.put("ldap", ldap);
        c.put("mapping", Map.of("senderAttributes", List.of("mail"), "loginAttributes", List.of("uid"),
                "action", "REJECT This account is not allowed to send emails, plz talk to abuse@example.org",
                "messageAttribute", "smtpdSenderRestrictionMessage"));
        c.put("server", Map.of(
                "applicationConnectors", List.of(Map.of("type", "http", "bindHost", "127.0.0.1",
                        "port", options.port(QuickstartOptions.HTTP))),
                "adminConnectors", List.of(Map.of("type", "http", "bindHost", "127.0.0.1",
                        "port", options.port(QuickstartOptions.ADMIN))),
                "requestLog", Map.of("appenders", List.of())));
        c.put("logging", Map.of("level", "WARN", "loggers", Map.of("io.restrictd", "INFO",
                "org.apache.kafka", "ERROR", "kafka", "ERROR", "state.change.logger", "ERROR")));
        Path file = options.data().resolve("all-in-one.yml");
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
            String header = "# Written by restrictd quickstart at every start (edits are overwritten); the same keys as\n"
                    + "# ops/config/all-in-one.yml. Usable with: restrictd restrict ... --config " + file + "\n";
            Files.writeString(file, header + yaml.writeValueAsString(c));
        } catch (IOException e) {
            throw new QuickstartException("--data: cannot write " + file + ": " + e.getMessage());
        }
        return file;
    }

    /** Waits until the pipeline answers, then prints what to try; on the quickstart's own thread of output. */
    private void announce(Path config, String mode) {
        int port = options.port(QuickstartOptions.SOCKETMAP);
        String probe = options.demo() ? PROBE_RESTRICTED : "postmaster@invalid";
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String reply = SocketmapLookup.ask("127.0.0.1", port, "sender", probe, Duration.ofSeconds(5));
                if (options.demo() ? reply.startsWith("OK") : !reply.startsWith("TEMP")) {
                    System.out.println(new Banner(options, config, mode, env).text());
                    System.out.flush();
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
        System.err.println("restrictd quickstart: not ready after " + READY_WAIT.toMinutes() + " min; see"
                + " http://127.0.0.1:" + options.port(QuickstartOptions.ADMIN) + "/healthcheck");
    }
}
