package io.restrictd.service.quickstart;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code restrictd quickstart} was asked for.
 *
 * @param data          the state directory (broker log, store, demo directory, generated configuration)
 * @param ldapUrls      a real directory to follow instead of the demo one; empty for the demo
 * @param bindDn        with ldapUrls: the bind DN, or null for anonymous
 * @param passwordFile  with bindDn: the file whose first line is the password
 * @param base          with ldapUrls: the search base
 * @param filter        with ldapUrls: what a restricted entry matches
 * @param demoLdif      the demo directory's seed, or null for the one built in
 * @param ports         socketmap, policy, http, admin, kafka, controller, ldap
 * @param pollInterval  the demo syncer's poll interval (the in-memory server can only be polled)
 */
record QuickstartOptions(Path data, List<String> ldapUrls, String bindDn, Path passwordFile, String base,
        String filter, Path demoLdif, Map<String, Integer> ports, String pollInterval) {
    static final String SOCKETMAP = "socketmap";
    static final String POLICY = "policy";
    static final String HTTP = "http";
    static final String ADMIN = "admin";
    static final String KAFKA = "kafka";
    static final String CONTROLLER = "kafka-controller";
    static final String LDAP = "ldap";

    boolean demo() {
        return ldapUrls.isEmpty();
    }

    int port(String name) {
        return ports.get(name);
    }

    /** The default state directory: $XDG_STATE_HOME/restrictd, else ~/.local/state/restrictd. */
    static Path defaultData(Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "restrictd");
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "restrictd");
    }
}
