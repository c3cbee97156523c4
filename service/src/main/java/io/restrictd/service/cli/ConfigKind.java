package io.restrictd.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.core.Configuration;
import io.restrictd.service.RestrictdConfiguration;
import io.restrictd.service.allinone.AllInOneConfiguration;
import io.restrictd.service.syncer.SyncerConfiguration;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Which of restrictd's three configuration files a YAML file is, told by its top-level sections: a
 * {@code broker:} section makes it all-in-one's; otherwise {@code ldap:}, {@code mapping:} or {@code syncer:}
 * make it a syncer's; anything else is a lookup node's.
 */
public enum ConfigKind {
    NODE("lookup node", RestrictdConfiguration.class),
    SYNCER("syncer", SyncerConfiguration.class),
    ALL_IN_ONE("all-in-one", AllInOneConfiguration.class);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String label;
    private final Class<? extends Configuration> type;

    ConfigKind(String label, Class<? extends Configuration> type) {
        this.label = label;
        this.type = type;
    }

    public String label() {
        return label;
    }

    public Class<? extends Configuration> type() {
        return type;
    }

    /**
     * @throws CliFailure exit 2 naming the file if it cannot be read or is not a YAML mapping
     */
    public static ConfigKind of(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw CliFailure.usage("config " + file + ": " + ConfigLoader.oneLine(String.valueOf(e.getMessage())));
        }
        if (root == null || !root.isObject()) {
            throw CliFailure.usage("config " + file + ": not a YAML mapping of sections (kafka:, store:, ...)");
        }
        if (root.has("broker")) {
            return ALL_IN_ONE;
        }
        if (root.has("ldap") || root.has("mapping") || root.has("syncer")) {
            return SYNCER;
        }
        return NODE;
    }
}
