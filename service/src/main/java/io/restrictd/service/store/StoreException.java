package io.restrictd.service.store;

/** The store cannot do what was asked: locked by another process, corrupt, closed, or an I/O error. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
