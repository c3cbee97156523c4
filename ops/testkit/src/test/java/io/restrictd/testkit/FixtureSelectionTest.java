package io.restrictd.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the fixture set is chosen and what a machine without Docker is told. */
class FixtureSelectionTest {
    private static final Path HOME = Path.of("/home/dev");

    @Test
    void shouldUseTheNativeFixturesWhenNothingChoosesOthers() {
        assertEquals(FixtureSet.NATIVE, FixtureSet.choose(null, null));
        assertEquals(FixtureSet.NATIVE, FixtureSet.choose("", "  "));
    }

    @Test
    void shouldReadThePropertyWhateverItsCaseAndSpaces() {
        assertEquals(FixtureSet.CONTAINERS, FixtureSet.choose(" Containers ", null));
        assertEquals(FixtureSet.NATIVE, FixtureSet.choose("NATIVE", null));
    }

    @Test
    void shouldFallBackToTheEnvironmentVariableAndLetThePropertyWin() {
        assertEquals(FixtureSet.CONTAINERS, FixtureSet.choose(null, "containers"));
        assertEquals(FixtureSet.NATIVE, FixtureSet.choose("native", "containers"));
    }

    @Test
    void shouldNameTheSettingAndTheChoicesWhenAValueNamesNoSet() {
        FixtureUnavailableException property = assertThrows(FixtureUnavailableException.class,
                () -> FixtureSet.choose("docker", "containers"));
        assertEquals("-Drestrictd.fixtures=docker names no fixture set: use native or containers",
                property.getMessage());
        FixtureUnavailableException environment = assertThrows(FixtureUnavailableException.class,
                () -> FixtureSet.choose(null, "podman"));
        assertEquals("RESTRICTD_FIXTURES=podman names no fixture set: use native or containers",
                environment.getMessage());
        assertEquals(0, property.getStackTrace().length, "a one-line failure carries no stack trace");
    }

    @Test
    void shouldSayInOneLineThatThereIsNoEngineWithoutAskingTestcontainers() {
        Optional<String> problem = DockerEngine.problem(Map.of(), HOME, null, path -> false,
                () -> fail("Testcontainers must not be asked when nothing points at an engine"));
        assertEquals(Optional.of("no Docker engine found (DOCKER_HOST is not set and there is no Docker socket at "
                + "/var/run/docker.sock, /home/dev/.docker/run/docker.sock, /home/dev/.docker/desktop/docker.sock, "
                + "/home/dev/.rd/docker.sock); run with -Drestrictd.fixtures=native"), problem);
    }

    @Test
    void shouldAskTestcontainersAboutTheEngineThatDockerHostNames() {
        Map<String, String> env = Map.of("DOCKER_HOST", "tcp://docker.example:2375");
        assertEquals(Optional.empty(), DockerEngine.problem(env, HOME, null, path -> false, () -> true));
        assertEquals(Optional.of("no Docker engine found (DOCKER_HOST=tcp://docker.example:2375 does not answer "
                        + "Testcontainers; its log above says what it tried); run with -Drestrictd.fixtures=native"),
                DockerEngine.problem(env, HOME, null, path -> false, () -> false));
    }

    @Test
    void shouldLookForTheSocketOfRootlessDockerAndTestcontainersOwnSetting() {
        Path rootless = Path.of("/run/user/1000/docker.sock");
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", "/run/user/1000");
        assertTrue(DockerEngine.sockets(env, HOME).contains(rootless));
        String refused = DockerEngine.problem(env, HOME, null, rootless::equals, () -> false).orElseThrow();
        assertTrue(refused.startsWith("no Docker engine found (the socket /run/user/1000/docker.sock does not answer"),
                refused);
        assertFalse(DockerEngine.problem(Map.of(), HOME, "unix:///tmp/d.sock", path -> false, () -> true).isPresent());
    }

    @Test
    void shouldFailEveryUseOfAFixtureThatCouldNotBeChosen() {
        UnavailableFixture fixture = new UnavailableFixture("why");
        assertEquals("why", assertThrows(FixtureUnavailableException.class, () -> fixture.beforeAll(null))
                .getMessage());
        assertThrows(FixtureUnavailableException.class, fixture::bootstrapServers);
        assertThrows(FixtureUnavailableException.class, fixture::url);
    }

    @Test
    void shouldAnnounceWhichServersTheNativeSetRuns() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        assertEquals(FixtureSet.NATIVE, Fixtures.announce(FixtureSet.NATIVE, out));
        assertEquals("restrictd test fixtures: native (ops/bin/slapd-local, ops/bin/kafka-local)\n",
                printed.toString(StandardCharsets.UTF_8));
        printed.reset();
        Fixtures.announce(new FixtureUnavailableException("why"), out);
        assertEquals("restrictd test fixtures: none: why\n", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldTakeTheKafkaImageOfTheBuildsBrokerVersion() {
        String image = Fixtures.kafkaImage();
        assertTrue(image.matches("apache/kafka:\\d+\\.\\d+\\.\\d+"), image);
        assertTrue(Fixtures.describe(FixtureSet.CONTAINERS).contains(image));
    }

    @Test
    void shouldGiveTheContainerBrokerTheTemplatesSettingsButNotItsListeners() {
        Map<String, String> env = KafkaInContainer.brokerEnvironment(
                Repository.root().resolve("ops/kafka/server.properties.template"));
        assertEquals("false", env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"));
        assertEquals("1", env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"));
        assertEquals("0", env.get("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS"));
        for (String own : new String[] {"KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS", "KAFKA_INTER_BROKER_LISTENER_NAME",
                "KAFKA_CONTROLLER_QUORUM_VOTERS", "KAFKA_LOG_DIRS", "KAFKA_PROCESS_ROLES", "KAFKA_NODE_ID"}) {
            assertFalse(env.containsKey(own), own + " is the container's own");
        }
        assertFalse(env.values().stream().anyMatch(v -> v.contains("@")), env.toString());
    }
}
