package dev.louie.core;

/**
 * Receives signals. Called on the thread where the event happened (the caller's for ENQUEUED and
 * SCHEDULED, a worker's for the rest): keep it short. An exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface SignalListener {
    void onSignal(TaskEvent event);
}
