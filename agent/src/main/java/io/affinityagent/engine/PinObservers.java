package io.affinityagent.engine;

import io.affinityagent.registry.WorkerRecord;

/**
 * Several observers as the engine's one ({@link PinningEngine#setObserver} holds one): each told
 * in turn, and one that throws does not keep the next from hearing.
 */
public final class PinObservers implements PinObserver {

    private final PinObserver[] observers;

    private PinObservers(PinObserver[] observers) {
        this.observers = observers;
    }

    /** The non-null ones of {@code observers} as one (null when there are none), each kept from throwing into the engine. */
    public static PinObserver of(PinObserver... observers) {
        int n = 0;
        for (PinObserver o : observers) {
            n += o != null ? 1 : 0;
        }
        PinObserver[] kept = new PinObserver[n];
        int i = 0;
        for (PinObserver o : observers) {
            if (o != null) {
                kept[i++] = o;
            }
        }
        return n == 0 ? null : new PinObservers(kept);
    }

    @Override
    public void pinned(Thread thread, WorkerRecord worker, boolean moved, long nanos) {
        for (PinObserver o : observers) {
            try {
                o.pinned(thread, worker, moved, nanos);
            } catch (Throwable t) {
                // an observer must not throw; if it does, the others still hear
            }
        }
    }

    @Override
    public void released(Thread thread, WorkerRecord worker) {
        for (PinObserver o : observers) {
            try {
                o.released(thread, worker);
            } catch (Throwable t) {
                // as above
            }
        }
    }

    @Override
    public void exited(Thread thread, WorkerRecord worker) {
        for (PinObserver o : observers) {
            try {
                o.exited(thread, worker);
            } catch (Throwable t) {
                // as above
            }
        }
    }

    @Override
    public void failed(Thread thread, WorkerRecord worker, String why) {
        for (PinObserver o : observers) {
            try {
                o.failed(thread, worker, why);
            } catch (Throwable t) {
                // as above
            }
        }
    }

    @Override
    public void replanned(ReplanOutcome outcome) {
        for (PinObserver o : observers) {
            try {
                o.replanned(outcome);
            } catch (Throwable t) {
                // as above
            }
        }
    }
}
