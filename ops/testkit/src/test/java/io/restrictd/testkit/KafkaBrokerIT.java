package io.restrictd.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerIT {

    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();

    @Test
    void shouldAcceptConnectionsCreateTopicsAndRestartOnTheSameAddress() throws IOException {
        String bootstrap = kafka.bootstrapServers();
        assertTrue(bootstrap.matches("127\\.0\\.0\\.1:\\d+"), bootstrap);
        assertTrue(accepts(kafka.port()));
        assertTrue(Files.exists(kafka.dir().resolve("logs/server.log")), "the broker logs to its directory");

        kafka.createTopic("restrictd.restrictions", 3, true);
        kafka.createTopic("restrictd.restrictions", 3, true); // exists already: no error
        kafka.createTopic("restrictd.audit", 1, false);

        kafka.stop();
        assertFalse(kafka.isRunning());
        assertFalse(accepts(kafka.port()));

        kafka.start();
        assertEquals(bootstrap, kafka.bootstrapServers());
        assertTrue(accepts(kafka.port()));
        String log = Files.readString(kafka.dir().resolve("logs/server.log"));
        assertTrue(log.contains("restrictd.restrictions-2"), "the topic survived the restart");
    }

    @Test
    void shouldComeBackAfterACrash() throws IOException {
        String bootstrap = kafka.bootstrapServers();
        kafka.kill();
        assertFalse(accepts(kafka.port()));
        kafka.start();
        assertEquals(bootstrap, kafka.bootstrapServers());
        assertTrue(accepts(kafka.port()));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
