package io.restrictd.service.quickstart;

/** The quickstart cannot start: one line naming the option, directory or port at fault. */
final class QuickstartException extends RuntimeException {
    QuickstartException(String message) {
        super(message);
    }
}
