package io.restrictd.syncer.position;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Where the syncer stands in the directory, as committed with the events it covers: the RFC 4533 cookie
 * for syncrepl, or just a reconciliation marker (no cookie) for psearch and poll. Immutable.
 * Stored on the state topic as JSON {@code {"cookie": base64 or null, "mode": ..., "updatedAt": ...}}.
 */
public record SyncPosition(byte[] cookie, String mode, Instant updatedAt) {
    /** No position: start from scratch (a full refresh). */
    public static final SyncPosition UNKNOWN = new SyncPosition(null, "none", Instant.EPOCH);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer printable cookies are shown in the binary form too: a log line stays one short line. */
    private static final int MAX_TEXT_COOKIE = 200;

    public SyncPosition {
        cookie = cookie == null ? null : cookie.clone();
    }

    @Override
    public byte[] cookie() {
        return cookie == null ? null : cookie.clone();
    }

    public boolean hasCookie() {
        return cookie != null;
    }

    public byte[] encode() {
        ObjectNode n = JSON.createObjectNode();
        if (cookie == null) {
            n.putNull("cookie");
        } else {
            n.put("cookie", Base64.getEncoder().encodeToString(cookie));
        }
        n.put("mode", mode);
        n.put("updatedAt", updatedAt.toString());
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException if {@code json} is not a position */
    public static SyncPosition decode(byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            JsonNode c = n.get("cookie");
            byte[] cookie = c == null || c.isNull() ? null : Base64.getDecoder().decode(c.asText());
            return new SyncPosition(cookie, n.path("mode").asText("unknown"),
                    Instant.parse(n.path("updatedAt").asText(Instant.EPOCH.toString())));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a syncer position: " + e.getMessage(), e);
        }
    }

    /**
     * The cookie for logs, always printable and short. OpenLDAP's cookies are ASCII ({@code rid=...,csn=...})
     * and shown as they are; a binary cookie (DirSync's, hundreds of bytes) as its length, a SHA-256 prefix
     * that tells two cookies apart, and the start of its base64 form (as the state topic stores it).
     */
    public String cookieText() {
        if (cookie == null) {
            return "none";
        }
        if (cookie.length <= MAX_TEXT_COOKIE && printable(cookie)) {
            return new String(cookie, StandardCharsets.US_ASCII);
        }
        String base64 = Base64.getEncoder().encodeToString(cookie);
        return cookie.length + " bytes, sha256 " + HexFormat.of().formatHex(sha256(cookie), 0, 6) + ", base64 "
                + (base64.length() > 24 ? base64.substring(0, 24) + "..." : base64);
    }

    private static boolean printable(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncPosition p && Arrays.equals(cookie, p.cookie) && mode.equals(p.mode)
                && updatedAt.equals(p.updatedAt);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cookie) * 31 + mode.hashCode();
    }

    @Override
    public String toString() {
        return "SyncPosition[" + mode + ", cookie=" + cookieText() + ", " + updatedAt + "]";
    }
}
