package io.restrictd.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A real Postfix smtpd on a free loopback port, in a private Postfix instance (own config, queue
 * and data directories; every transport {@code discard:}), started by {@code ops/bin/postfix-local}.
 * Needs root, as Postfix's master does.
 * <pre>
 * &#64;RegisterExtension
 * static PostfixSmtpd smtpd = new PostfixSmtpd(
 *         () -&gt; "check_sender_access socketmap:inet:127.0.0.1:" + node.socketmapPort() + ":sender");
 * ...
 * assertThat(smtpd.swaks("bad@example.org", "postmaster@localhost"))
 *         .contains("554 5.7.1 &lt;bad@example.org&gt;: Sender address rejected");
 * </pre>
 * The restrictions are read when the server starts, so a supplier can name a port that another
 * extension (registered earlier) only knows once it runs. Starts in about 2.5 s.
 */
public final class PostfixSmtpd extends ScriptedServer {

    private static final Duration SWAKS_TIMEOUT = Duration.ofMinutes(2);

    private final Supplier<String> restrictions;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private volatile String address;

    /** @param restrictions the value of {@code smtpd_sender_restrictions} */
    public PostfixSmtpd(String restrictions) {
        this(() -> restrictions);
        Objects.requireNonNull(restrictions, "restrictions");
    }

    /** @param restrictions gives the value of {@code smtpd_sender_restrictions} at each start */
    public PostfixSmtpd(Supplier<String> restrictions) {
        super("postfix-local");
        this.restrictions = Objects.requireNonNull(restrictions, "restrictions");
    }

    /** Sets another {@code main.cf} parameter for this instance; takes effect at the next start. */
    public PostfixSmtpd withParameter(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    /** {@code 127.0.0.1:PORT} of the smtpd. */
    public String address() {
        String a = address;
        if (a == null) {
            throw notStarted();
        }
        return a;
    }

    public int port() {
        String a = address();
        return Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
    }

    /**
     * Sends one mail from {@code from} to {@code to} with the real swaks and returns its transcript
     * (client and server lines, e.g. {@code <** 554 5.7.1 <a@b>: Sender address rejected: ...}).
     * An accepted mail is discarded by this instance.
     */
    public String swaks(String from, String to) {
        return swaks(from, to, List.of()).stdout();
    }

    /** Runs swaks against this smtpd with more arguments, e.g. {@code --quit-after RCPT}. */
    public CommandResult swaks(String from, String to, List<String> moreArguments) {
        Commands.require("swaks", "swaks");
        List<String> command = new ArrayList<>(List.of("swaks", "--server", address(), "--from", from,
                "--to", to, "--helo", "client.example.org", "--timeout", "60"));
        command.addAll(moreArguments);
        return Commands.run(command, Map.of(), null, true, SWAKS_TIMEOUT);
    }

    /** The instance's mail log ({@code DIR/log/postfix.log}), or "" before anything was logged. */
    public String log() {
        Path log = dir().resolve("log/postfix.log");
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected List<String> startArguments(Path dir) {
        String port = address == null ? "0" : Integer.toString(port());
        List<String> args = new ArrayList<>(List.of("start", dir.toString(), port, restrictions.get()));
        parameters.forEach((name, value) -> {
            args.add("--param");
            args.add(name + " = " + value);
        });
        return args;
    }

    @Override
    protected void started(String address) {
        this.address = address;
    }

    @Override
    protected void checkBinaries() {
        Commands.require("postfix", "postfix");
        Commands.require("postconf", "postfix");
        Commands.require("swaks", "swaks");
    }
}
