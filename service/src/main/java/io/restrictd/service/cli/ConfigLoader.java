package io.restrictd.service.cli;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.validation.BaseValidator;
import io.restrictd.service.RestrictdConfiguration;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Loads the node's YAML configuration for the CLI the way the server does: {@code ${ENV}} and
 * {@code ${ENV:-default}} substituted (an unset variable without a default stays as written), then
 * bound and validated as {@link RestrictdConfiguration}. Only the {@code kafka:} section is used.
 */
final class ConfigLoader {
    private ConfigLoader() {
    }

    /** @throws CliFailure exit 2, one line naming the file and the problem */
    static RestrictdConfiguration load(String file) {
        return load(file, RestrictdConfiguration.class);
    }

    /** Loads {@code file} as {@code type}; @throws CliFailure exit 2, one line naming the file and the problem */
    static <T> T load(String file, Class<T> type) {
        if (file == null || file.isBlank()) {
            throw CliFailure.usage("--config: required (the node's YAML configuration, e.g. /etc/restrictd/node.yml)");
        }
        if (!Files.isRegularFile(Path.of(file))) {
            throw CliFailure.usage("config " + file + ": " + (Files.exists(Path.of(file)) ? "not a regular file" : "no such file"));
        }
        YamlConfigurationFactory<T> factory = new YamlConfigurationFactory<>(type, BaseValidator.newValidator(), Jackson.newObjectMapper(), "dw");
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

    /** Dropwizard's messages span lines (with a YAML excerpt); keep what says what is wrong. */
    static String oneLine(String message) {
        return message.lines().map(String::strip).filter(l -> !l.isEmpty())
                .takeWhile(l -> !l.startsWith("at:") && !l.startsWith("^"))
                .collect(Collectors.joining(" "));
    }
}
