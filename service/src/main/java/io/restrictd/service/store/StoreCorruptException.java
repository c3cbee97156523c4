package io.restrictd.service.store;

/**
 * A store file that cannot be read back: MapDB's structures or our values are broken, or they disagree with
 * each other. The store is a copy of the topic, so {@link StoreDirectory} replaces it with an empty one.
 */
public final class StoreCorruptException extends StoreException {
    public StoreCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
