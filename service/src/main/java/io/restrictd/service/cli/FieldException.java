package io.restrictd.service.cli;

/**
 * One invalid input value: which field, and what is wrong with it. The CLI renders it as
 * {@code --field: problem}, the CSV import as {@code line 17: field: problem}.
 */
public final class FieldException extends IllegalArgumentException {
    private final String field;
    private final String problem;

    public FieldException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }

    /** As a command-line option error, e.g. {@code --ttl: '0s' is not positive}. */
    public String asOption() {
        return "--" + field + ": " + problem;
    }
}
