package io.affinityagent.cli;

/** A command failed for a reason the user can act on: one line, no stack trace, exit status 1. */
final class CliException extends Exception {

    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
