package io.restrictd.service.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class ServerFactoryTest {
    @Test
    void shouldParseOctalModes() {
        assertThat(PosixFilePermissions.toString(ServerFactory.permissions("0660"))).isEqualTo("rw-rw----");
        assertThat(PosixFilePermissions.toString(ServerFactory.permissions("666"))).isEqualTo("rw-rw-rw-");
        assertThat(PosixFilePermissions.toString(ServerFactory.permissions("0750"))).isEqualTo("rwxr-x---");
    }
}
