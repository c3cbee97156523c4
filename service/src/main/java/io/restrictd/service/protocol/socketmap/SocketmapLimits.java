package io.restrictd.service.protocol.socketmap;

/** The socketmap protocol's limits, in one place. */
public final class SocketmapLimits {
    /**
     * Default largest request payload ({@code name key}), in bytes. Postfix keys are addresses
     * (at most 320 characters, a little more with UTF-8) or login names.
     */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 4096;

    /** Postfix refuses replies longer than this ({@code socketmap_max_reply_size}, default 100000). */
    public static final int MAX_REPLY_BYTES = 100_000;

    /** Map names as configured by default: {@code socketmap:inet:host:port:sender}, {@code ...:login}. */
    public static final String DEFAULT_SENDER_MAP = "sender";
    public static final String DEFAULT_LOGIN_MAP = "login";

    private SocketmapLimits() {
    }
}
