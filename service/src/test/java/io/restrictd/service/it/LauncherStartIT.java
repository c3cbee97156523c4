package io.restrictd.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.testkit.FreePort;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started by the launcher ({@code ops/bin/restrictd node}), as systemd starts it: the class-data archive
 * that makes restarts faster is written at the first stop after a whole start and mapped by the next start;
 * a start that fails keeps none, and says why in one line. No broker: the node runs on its store alone.
 */
class LauncherStartIT {
    @TempDir
    Path dir;

    @Test
    void shouldWriteAClassDataArchiveAfterAWholeStartAndMapItAtTheNextStart() throws Exception {
        Path archives = dir.resolve("cds");
        String noBroker = "127.0.0.1:" + FreePort.find();
        NodeProcess first = NodeProcess.builder("first", dir, noBroker).classDataArchives(archives).build().start();
        awaitMarker(archives);
        first.stop();
        List<Path> written = list(archives, ".jsa");
        assertThat(written).as("one archive, written at exit").hasSize(1);
        assertThat(Files.size(written.get(0))).isGreaterThan(1 << 20);

        Path classes = dir.resolve("classes.log");
        NodeProcess second = NodeProcess.builder("second", dir, noBroker).classDataArchives(archives)
                .jvmOption("-Xlog:class+load=info:file=" + classes).build().start();
        second.stop();
        assertThat(Files.readString(classes)).as("the node's own classes come from the archive")
                .containsPattern("io\\.restrictd\\.service\\.LookupNode source: shared objects file \\(top\\)");
        assertThat(list(archives, ".jsa")).as("the archive was used, not rewritten").isEqualTo(written);
    }

    @Test
    void shouldKeepNoArchiveOfAStartThatFailedAndSayWhyInOneLine() throws Exception {
        Path archives = dir.resolve("cds");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            NodeProcess node = NodeProcess.builder("taken", dir, "127.0.0.1:" + FreePort.find())
                    .socketmapPort(taken.getLocalPort()).classDataArchives(archives).build();
            assertThat(node.startExpectingExit(Duration.ofSeconds(180))).isNotZero();
            String out = node.logText();
            assertThat(out).contains("restrictd node: cannot listen").contains(Integer.toString(taken.getLocalPort()))
                    .doesNotContain("\tat ");
        }
        assertThat(list(archives, ".ok")).as("no marker: the next start writes a new archive").isEmpty();
    }

    @Test
    void shouldWriteNoArchiveWhenTurnedOff() throws Exception {
        Path archives = dir.resolve("cds");
        NodeProcess node = NodeProcess.builder("off", dir, "127.0.0.1:" + FreePort.find())
                .classDataArchivesOff(archives).build().start();
        node.stop();
        assertThat(list(archives, "")).as("RESTRICTD_CDS=off: nothing in the cache directory").isEmpty();
    }

    private static void awaitMarker(Path archives) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (list(archives, ".ok").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(list(archives, ".ok")).as("the node marked its start complete").hasSize(1);
    }

    private static List<Path> list(Path dir, String suffix) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
