package io.restrictd.service.store;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A lookup node restarted on a stored store of N restrictions with Kafka unreachable: time from process start
 * to its first socketmap answer (and what it is: from the store, or TEMP), to everything in memory, and its
 * RSS then. A benchmark, not a test. Run by {@code ops/bench/store}:
 *
 * <pre>
 * java -cp service/target/restrictd.jar:service/target/test-classes io.restrictd.service.store.RestartBench N DIR JAR CONFIG [JVM options...]
 * </pre>
 */
public final class RestartBench {
    private RestartBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        Path store = dir.resolve("store-" + n);
        if (!Files.exists(store)) {
            fill(store, n);
        }
        int socketmap = freePort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(List.of(args).subList(4, args.length));
        command.addAll(List.of("-Ddw.store.path=" + store, "-Ddw.kafka.bootstrapServers=127.0.0.1:" + freePort(),
                "-Ddw.socketmap.listen=127.0.0.1:" + socketmap, "-Ddw.policy.listen=127.0.0.1:" + freePort(),
                "-Ddw.server.applicationConnectors[0].port=" + freePort(),
                "-Ddw.server.adminConnectors[0].port=" + freePort(), "-jar", args[2], "server", args[3]));
        Path log = dir.resolve("node-" + n + ".log");
        long started = System.nanoTime();
        Process node = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String first = firstAnswer(socketmap, node);
            long answered = System.nanoTime();
            while (!Files.readString(log).contains("subjects in memory") && node.isAlive()) {
                Thread.sleep(10);
            }
            long warm = System.nanoTime();
            System.out.printf("%9d  restart, Kafka unreachable: first answer %5.0f ms after process start (%s), "
                    + "all in memory %5.0f ms, RSS %d MiB%n", n, (answered - started) / 1e6,
                    first.startsWith("OK") ? "from the store" : first, (warm - started) / 1e6, rssMiB(node.pid()));
        } finally {
            node.destroy();
            node.waitFor();
        }
    }

    private static void fill(Path store, int n) {
        AccessAction action =
                AccessAction.parse("REJECT This account is not allowed to send emails, plz talk to abuse@example.org");
        Instant now = Instant.now();
        try (StoreDirectory stores = StoreDirectory.open(store)) {
            List<Change> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                batch.add(new Change.Put(new Restriction(new RestrictionKey("ldap", Kind.SENDER,
                        "user" + i + "@example.org"), action, "bench", Map.of("dn", "uid=user" + i + ",dc=example,dc=org"),
                        "syncer", null, now.minusSeconds(60), null)));
                if (batch.size() == 10_000 || i == n - 1) {
                    stores.current().commit(batch, new Position(Map.of(0, i + 1L)), now, true);
                    batch.clear();
                }
            }
        }
    }

    /** Asks for a stored key every few milliseconds until the node answers. */
    private static String firstAnswer(int port, Process node) throws Exception {
        while (node.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                byte[] request = "sender user1@example.org".getBytes(StandardCharsets.US_ASCII);
                out.write((request.length + ":").getBytes(StandardCharsets.US_ASCII));
                out.write(request);
                out.write(',');
                out.flush();
                InputStream in = socket.getInputStream();
                StringBuilder reply = new StringBuilder();
                for (int c = in.read(); c >= 0 && c != ','; c = in.read()) {
                    reply.append((char) c);
                }
                return reply.substring(reply.indexOf(":") + 1);
            } catch (IOException notYet) {
                Thread.sleep(5);
            }
        }
        throw new IllegalStateException("the node exited before answering");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
            }
        }
        return -1;
    }
}
