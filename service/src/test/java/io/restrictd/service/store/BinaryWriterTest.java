package io.restrictd.service.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BinaryWriterTest {

    @Test
    void shouldWriteStringsAndNumbersByteForByteAsDataOutputStream() throws IOException {
        // Tables and logs written before Writer existed hold DataOutputStream's bytes: the format must not move.
        String[] strings = {"", "ldap", "a\u0000b", "é – not ASCII", "\uD83D\uDEAB", "x".repeat(70_000 / 3),
                "ü".repeat(30_000)};
        BinaryWriter writer = new BinaryWriter(4);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream reference = new DataOutputStream(bytes);
        for (String s : strings) {
            writer.writeUTF(s);
            reference.writeUTF(s);
            writer.writeBoolean(s.isEmpty());
            reference.writeBoolean(s.isEmpty());
            writer.writeShort(s.length() * 7);
            reference.writeShort(s.length() * 7);
            writer.writeInt(-s.length());
            reference.writeInt(-s.length());
            writer.writeLong(Long.MIN_VALUE + s.length());
            reference.writeLong(Long.MIN_VALUE + s.length());
            writer.write(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            reference.write(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            writer.writeByte(200);
            reference.writeByte(200);
        }
        assertThat(writer.toByteArray()).isEqualTo(bytes.toByteArray());
        assertThat(writer.size()).isEqualTo(bytes.size());
    }

    @Test
    void shouldRefuseAStringOverSixtyFourKilobytesAsDataOutputStreamDoes() {
        BinaryWriter writer = new BinaryWriter(16);
        assertThatThrownBy(() -> writer.writeUTF("é".repeat(40_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("40000 characters");
        assertThatThrownBy(() -> writer.writeUTF("x".repeat(70_000)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldStartOverOnResetAndLendItsBytesWithoutACopy() {
        BinaryWriter writer = new BinaryWriter(16);
        writer.writeUTF("x".repeat(100)); // grows the array
        writer.reset();
        writer.writeInt(0x01020304);
        java.nio.ByteBuffer lent = writer.asByteBuffer();
        assertThat(lent.remaining()).isEqualTo(4);
        assertThat(lent.getInt(0)).isEqualTo(0x01020304);
        assertThat(writer.toByteArray()).containsExactly(1, 2, 3, 4);
    }
}
