package io.restrictd.schema;

/**
 * An event, key or field that does not satisfy the contract. The message says which field and why,
 * in words fit for an operator's log or a CLI error.
 */
public class InvalidEventException extends IllegalArgumentException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
