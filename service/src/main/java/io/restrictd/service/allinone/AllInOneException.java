package io.restrictd.service.allinone;

/** All-in-one cannot start: the message names the setting or file at fault, in one line, for the operator. */
public final class AllInOneException extends RuntimeException {
    public AllInOneException(String message) {
        super(message);
    }
}
