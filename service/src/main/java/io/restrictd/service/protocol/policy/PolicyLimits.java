package io.restrictd.service.protocol.policy;

/**
 * The policy protocol's limits, in one place. Postfix sends some 30 to 40 attributes of modest
 * length (certificate subjects are the longest), well under these.
 *
 * @param maxRequestBytes the largest request, every line and its LF counted
 * @param maxLineBytes    the longest line, without its LF
 * @param maxAttributes   the most attributes in one request
 */
public record PolicyLimits(int maxRequestBytes, int maxLineBytes, int maxAttributes) {
    public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024;
    public static final int DEFAULT_MAX_LINE_BYTES = 4096;
    public static final int DEFAULT_MAX_ATTRIBUTES = 128;
    /** The longest reply action sent back, in bytes; SMTP reply texts are far shorter. */
    public static final int MAX_ACTION_BYTES = 2048;

    public static final PolicyLimits DEFAULTS =
            new PolicyLimits(DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_ATTRIBUTES);

    public PolicyLimits {
        if (maxRequestBytes < 1 || maxLineBytes < 1 || maxAttributes < 1) {
            throw new IllegalArgumentException("policy limits must be positive");
        }
        if (maxLineBytes > maxRequestBytes) {
            throw new IllegalArgumentException("maxLineBytes (" + maxLineBytes + ") exceeds maxRequestBytes ("
                    + maxRequestBytes + ")");
        }
    }
}
