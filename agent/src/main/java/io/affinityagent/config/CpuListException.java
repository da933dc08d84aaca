package io.affinityagent.config;

/** A CPU list that does not parse or selects nothing; the message says what was expected. */
public final class CpuListException extends Exception {
    public CpuListException(String message) {
        super(message);
    }
}
