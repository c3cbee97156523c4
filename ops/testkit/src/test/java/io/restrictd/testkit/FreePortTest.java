package io.restrictd.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortTest {

    @Test
    void shouldReturnABindablePort() throws IOException {
        int port = FreePort.find();
        assertTrue(port > 0 && port < 65536);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(socket.isBound());
        }
    }

    @Test
    void shouldFindTheRepositoryRoot() {
        assertTrue(Repository.root().resolve("ops/bin/kafka-local").toFile().isFile());
    }
}
