package io.restrictd.service.cli;

import io.restrictd.schema.EventCodec;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Map;

/**
 * What a sub-command needs from its surroundings, passed in so tests can supply their own.
 *
 * @param out   results
 * @param err   errors, warnings, progress
 * @param clock the time restrictions are created at and expiry is judged by
 * @param host  this host's name, for the origin and the default actor
 * @param user  the operator's login name, for the default actor
 * @param codec the event codec
 */
public record CliContext(PrintStream out, PrintStream err, Clock clock, String host, String user, EventCodec codec) {
    /** Standard streams, the system clock, and the host and user this process runs as. */
    public static CliContext system() {
        return of(System.out, System.err, Clock.systemUTC(), System.getenv());
    }

    /** The given streams and clock; host and user from the environment. */
    public static CliContext of(PrintStream out, PrintStream err, Clock clock, Map<String, String> env) {
        String user = env.getOrDefault("USER", System.getProperty("user.name", "unknown"));
        return new CliContext(out, err, clock, hostname(env), user, new EventCodec());
    }

    /** {@code user@host}, the actor recorded when none is given. */
    public String defaultActor() {
        return user + "@" + host;
    }

    private static String hostname(Map<String, String> env) {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return env.getOrDefault("HOSTNAME", "unknown-host");
        }
    }
}
