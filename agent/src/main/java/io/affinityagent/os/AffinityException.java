package io.affinityagent.os;

/** The kernel refused an affinity call; the message says why in words (not just errno). */
public final class AffinityException extends Exception {
    private final int errno;

    public AffinityException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The errno, or 0 when the failure did not come from the kernel. */
    public int errno() {
        return errno;
    }
}
