package dev.louie.cli;

/** A command that could not do what was asked: printed as one line on stderr, exit code 1. */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliFailure(String message) {
        super(message);
    }
}
