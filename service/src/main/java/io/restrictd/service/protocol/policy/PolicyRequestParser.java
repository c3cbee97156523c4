package io.restrictd.service.protocol.policy;

import io.restrictd.service.protocol.net.ByteQueue;
import io.restrictd.service.protocol.net.ReplyText;
import io.restrictd.service.protocol.policy.PolicyRequestException.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sans-IO parser for Postfix policy delegation requests (SMTPD_POLICY_README): {@code name=value}
 * lines ending in LF (CRLF tolerated), an empty line ending each request, many requests per
 * connection. {@link #feed} it bytes as they arrive, then call {@link #next} until it returns null.
 *
 * <p>Values are decoded as UTF-8, malformed bytes replaced: Postfix passes SMTPUTF8 addresses as
 * UTF-8, and a stray byte in an attribute restrictd ignores must not spoil the request. The value
 * keeps everything after the first '=' (values may contain '=').
 *
 * <p>Errors: see {@link PolicyRequestException.Kind}. After a recoverable one the parser has already
 * skipped the rest of the bad request and continues with the next; after a fatal one it stays
 * failed and every later {@link #next} throws the same error. Memory is bounded by the longest line
 * plus the bytes of one feed, provided the caller drains {@link #next} after every feed.
 *
 * <p>Not thread-safe: one parser per connection.
 */
public final class PolicyRequestParser {
    private final PolicyLimits limits;
    private final ByteQueue in;
    private Map<String, String> attributes = new LinkedHashMap<>();
    private int requestBytes;
    private int scanned; // bytes at the front of the queue known to hold no LF
    private PolicyRequestException skipping; // a recoverable error in the current request
    private PolicyRequestException failure;

    public PolicyRequestParser(PolicyLimits limits) {
        this.limits = limits;
        // Small at first: thousands of connections sit idle; the queue grows to what a client sends.
        this.in = new ByteQueue(Math.min(limits.maxLineBytes() + 2, ByteQueue.SMALL));
    }

    public void feed(byte[] bytes, int off, int len) {
        in.append(bytes, off, len);
    }

    /** Consumes every remaining byte of {@code bytes}. */
    public void feed(ByteBuffer bytes) {
        in.append(bytes);
    }

    /** True if part of a request has been received: a request has started but not completed. */
    public boolean hasPartial() {
        return requestBytes > 0 || in.size() > 0;
    }

    /**
     * The next complete request, or null if more bytes are needed.
     *
     * @throws PolicyRequestException if the request is malformed or over a limit
     */
    public PolicyRequest next() throws PolicyRequestException {
        if (failure != null) {
            throw failure;
        }
        try {
            return parse();
        } catch (PolicyRequestException e) {
            if (e.kind().fatal()) {
                failure = e;
            }
            throw e;
        }
    }

    private PolicyRequest parse() throws PolicyRequestException {
        while (true) {
            int lf = in.indexOf((byte) '\n', scanned);
            scanned = lf < 0 ? in.size() : 0;
            int lineLength = lf < 0 ? in.size() : lf;
            if (lineLength > limits.maxLineBytes()) {
                throw new PolicyRequestException(Kind.LINE_TOO_LONG,
                        "line longer than " + limits.maxLineBytes() + " bytes");
            }
            if (requestBytes + lineLength + (lf < 0 ? 0 : 1) > limits.maxRequestBytes()) {
                throw new PolicyRequestException(Kind.REQUEST_TOO_LONG,
                        "request longer than " + limits.maxRequestBytes() + " bytes");
            }
            if (lf < 0) {
                return null;
            }
            int contentEnd = lf > 0 && in.get(lf - 1) == '\r' ? lf - 1 : lf;
            byte[] line = in.copy(0, contentEnd);
            in.skip(lf + 1);
            requestBytes += lf + 1;
            if (line.length == 0) {
                return endOfRequest();
            }
            if (skipping == null) {
                attribute(line);
            }
        }
    }

    private PolicyRequest endOfRequest() throws PolicyRequestException {
        PolicyRequestException error = skipping;
        PolicyRequest request = new PolicyRequest(attributes);
        attributes = new LinkedHashMap<>();
        requestBytes = 0;
        skipping = null;
        if (error != null) {
            throw error;
        }
        return request;
    }

    private void attribute(byte[] line) throws PolicyRequestException {
        int eq = indexOf(line, (byte) '=');
        if (eq <= 0) {
            skipping = new PolicyRequestException(Kind.MALFORMED_LINE,
                    eq < 0 ? "line without '='" : "attribute without a name");
            return;
        }
        String name = new String(line, 0, eq, StandardCharsets.UTF_8);
        if (attributes.containsKey(name)) {
            skipping = new PolicyRequestException(Kind.DUPLICATE_ATTRIBUTE, "attribute '" + ReplyText.excerpt(name, 64) + "' repeated");
            return;
        }
        if (attributes.size() >= limits.maxAttributes()) {
            throw new PolicyRequestException(Kind.TOO_MANY_ATTRIBUTES,
                    "more than " + limits.maxAttributes() + " attributes");
        }
        attributes.put(name, new String(line, eq + 1, line.length - eq - 1, StandardCharsets.UTF_8));
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
