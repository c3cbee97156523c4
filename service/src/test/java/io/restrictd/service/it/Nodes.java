package io.restrictd.service.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Owns the {@link NodeProcess}es of one test class: a node created inside a test is killed when that
 * test ends, one created in {@code @BeforeAll} when the class ends, pass or fail. When a test or the
 * class fails, the logs of its nodes are printed and their directories kept (as with
 * {@code -Drestrictd.testkit.keep=true}); otherwise they are deleted with the class. Register it on a static field after the broker:
 * <pre>
 * &#64;RegisterExtension static KafkaFixture kafka = Fixtures.kafka();
 * &#64;RegisterExtension static Nodes nodes = new Nodes(kafka::bootstrapServers);
 * </pre>
 */
final class Nodes implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private final Supplier<String> bootstrapServers;
    private final List<NodeProcess> classNodes = new CopyOnWriteArrayList<>();
    private final List<NodeProcess> testNodes = new CopyOnWriteArrayList<>();
    private volatile boolean inTest;
    private volatile boolean failed;
    private Path dir;

    Nodes(Supplier<String> bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** A node on the class's broker, in a directory of its own; not started. */
    NodeProcess.Builder builder(String name) {
        return NodeProcess.builder(name, newDir(name), bootstrapServers.get());
    }

    /** A node on a given bootstrap address (e.g. one where nothing listens); not started. */
    NodeProcess.Builder builder(String name, String bootstrap) {
        return NodeProcess.builder(name, newDir(name), bootstrap);
    }

    /** Builds the node and adopts it (not started). */
    NodeProcess node(NodeProcess.Builder builder) {
        return adopt(builder.build());
    }

    /** Adopts a built node: it is killed with its test, or its class if made outside a test. */
    NodeProcess adopt(NodeProcess node) {
        (inTest ? testNodes : classNodes).add(node);
        return node;
    }

    private synchronized Path newDir(String name) {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("restrictd-it-");
            }
            return Files.createDirectories(dir.resolve(name + "-" + System.nanoTime()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        inTest = true;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        inTest = false;
        if (context.getExecutionException().isPresent()) {
            failed = true;
            testNodes.forEach(n -> print(context, n));
            classNodes.forEach(n -> print(context, n));
        }
        testNodes.forEach(NodeProcess::destroy);
        testNodes.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            classNodes.forEach(n -> print(context, n));
        }
        classNodes.forEach(NodeProcess::destroy);
        classNodes.clear();
        if (!failed && context.getExecutionException().isEmpty() && !Boolean.getBoolean("restrictd.testkit.keep")) {
            deleteDir(); // kept after a failure, with the nodes' logs and stores
        } else if (dir != null) {
            System.out.println("node directories kept in " + dir);
        }
    }

    private synchronized void deleteDir() {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("could not delete " + dir + ": " + e);
        }
        dir = null;
    }

    private static void print(ExtensionContext context, NodeProcess node) {
        String text = node.logText();
        String[] lines = text.split("\n");
        int from = Math.max(0, lines.length - 400);
        System.out.println("===== " + context.getDisplayName() + " failed; log of " + node + " ("
                + (from > 0 ? "last 400 of " + lines.length + " lines" : "all") + ", " + node.log() + ")");
        for (int i = from; i < lines.length; i++) {
            System.out.println(lines[i]);
        }
        System.out.println("===== end of " + node.name());
    }
}
