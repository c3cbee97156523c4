package io.restrictd.service.cli;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.validation.BaseValidator;
import io.dropwizard.core.Configuration;
import io.restrictd.service.RestrictdConfiguration;
import io.restrictd.service.syncer.SyncerConfiguration;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Loads a YAML configuration the way the server does: {@code ${ENV}} and {@code ${ENV:-default}}
 * substituted (an unset variable without a default stays as written), then bound and validated as the
 * configuration class of its {@link ConfigKind}. The CLI uses only the {@code kafka:} section, which a
 * node's, a syncer's and all-in-one's configuration all have.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * The {@code kafka:} section of a node, syncer or all-in-one configuration, as a node configuration.
     *
     * @throws CliFailure exit 2, one line naming the file and the problem
     */
    static RestrictdConfiguration load(String file) {
        requireFile(file);
        ConfigKind kind = ConfigKind.of(Path.of(file));
        if (kind == ConfigKind.SYNCER) {
            RestrictdConfiguration c = new RestrictdConfiguration();
            c.setKafka(load(file, SyncerConfiguration.class).kafka);
            return c;
        }
        return (RestrictdConfiguration) load(file, kind.type());
    }

    /**
     * {@code file} bound and validated as {@code type}.
     *
     * @throws CliFailure exit 2, one line naming the file and the problem
     */
    public static <T extends Configuration> T load(String file, Class<T> type) {
        requireFile(file);
        YamlConfigurationFactory<T> factory = new YamlConfigurationFactory<>(
                type, BaseValidator.newValidator(), Jackson.newObjectMapper(), "dw");
        try {
            return factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                    new EnvironmentVariableSubstitutor(false)), file);
        } catch (ConfigurationException e) {
            String errors = e.getErrors().stream().map(ConfigLoader::oneLine).collect(Collectors.joining("; "));
            throw CliFailure.usage("config " + file + ": " + errors);
        } catch (FileNotFoundException e) {
            throw CliFailure.usage("config " + file + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw CliFailure.usage("config " + file + ": " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    static void requireFile(String file) {
        if (file == null || file.isBlank()) {
            throw CliFailure.usage("--config: required (the node's, syncer's or all-in-one's YAML configuration,"
                    + " e.g. /etc/restrictd/node.yml)");
        }
        if (!Files.isRegularFile(Path.of(file))) {
            throw CliFailure.usage("config " + file + ": " + (Files.exists(Path.of(file)) ? "not a regular file"
                    : "no such file"));
        }
    }

    /** Dropwizard's messages span lines (with a YAML excerpt); keep what says what is wrong. */
    static String oneLine(String message) {
        return message.lines().map(String::strip).filter(l -> !l.isEmpty())
                .takeWhile(l -> !l.startsWith("at:") && !l.startsWith("^"))
                .collect(Collectors.joining(" "));
    }
}
