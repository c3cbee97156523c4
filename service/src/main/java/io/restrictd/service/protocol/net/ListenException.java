package io.restrictd.service.protocol.net;

import java.io.IOException;

/** A server could not listen where it was told to. The message names the address and the setting. */
public final class ListenException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String configKey;

    public ListenException(String configKey, String address, String problem, Throwable cause) {
        super(configKey + ": cannot listen on " + address + ": " + problem, cause);
        this.configKey = configKey;
    }

    /** The configuration key that set the address, e.g. {@code socketmap.listen}. */
    public String configKey() {
        return configKey;
    }
}
