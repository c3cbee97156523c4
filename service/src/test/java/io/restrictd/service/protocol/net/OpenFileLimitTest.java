package io.restrictd.service.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.restrictd.testkit.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every connection is a file descriptor: the shipped systemd unit must let the node open as many as
 * the shipped configuration allows on both ports, plus what the store, Kafka, HTTP and the JVM use.
 */
class OpenFileLimitTest {
    /** Descriptors besides connections: jars, the store, Kafka and HTTP sockets, selectors (some 300 measured). */
    private static final int HEADROOM = 2048;

    private final Path root = Repository.root();

    @Test
    void shouldLetTheNodeOpenEveryConnectionTheShippedConfigAllows() throws Exception {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(root.resolve("ops/config/node.yml").toFile());
        int connections = maxConnections(config, "socketmap") + maxConnections(config, "policy");

        assertThat(connections).as("the issue's goal: 8,000 on each port").isGreaterThanOrEqualTo(16_000);
        assertThat(limitNoFile()).isGreaterThanOrEqualTo(connections + HEADROOM);
    }

    @Test
    void shouldLetTheNodeOpenEveryConnectionTheDefaultsAllow() throws Exception {
        assertThat(limitNoFile()).isGreaterThanOrEqualTo(2 * ServerLimits.DEFAULT_MAX_CONNECTIONS + HEADROOM);
    }

    private static int maxConnections(JsonNode config, String protocol) {
        JsonNode value = config.path(protocol).path("maxConnections");
        return value.isMissingNode() ? ServerLimits.DEFAULT_MAX_CONNECTIONS : value.asInt();
    }

    private long limitNoFile() throws Exception {
        String unit = Files.readString(root.resolve("ops/systemd/restrictd-node.service"));
        Matcher m = Pattern.compile("(?m)^LimitNOFILE=(\\d+)$").matcher(unit);
        assertThat(m.find()).as("restrictd-node.service sets LimitNOFILE=").isTrue();
        return Long.parseLong(m.group(1));
    }
}
