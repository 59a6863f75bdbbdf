package dev.louie.core.storage;

import dev.louie.core.Binding;
import dev.louie.core.Exchange;
import java.util.Map;

/**
 * The optional capability of a {@link Storage} to hold exchanges and bindings and to publish one
 * message into several queues together. Routing itself (which queues a routing key reaches) runs
 * in the producer, on a {@link RoutingTable} it reads from here; the storage only keeps the table
 * where every producer sees it and enqueues what it is handed.
 *
 * <p>A backend that implements only {@link Storage} runs tasks fully; {@code Louie.exchanges()}
 * and {@code TaskCall.publish} say that it lacks this. {@link MemoryStorage}, {@code SqliteStorage}
 * and {@code RedisStorage} implement it, and {@code ExchangeConformanceTest} in core's test-jar
 * pins the behaviour. Names and patterns reach a backend validated; it stores them as given.
 */
public interface ExchangeStorage {

    /**
     * Stores {@code exchange} unless one of that name exists, in one atomic step. Returns the
     * exchange stored under the name afterwards: {@code exchange} itself, or the existing one (which
     * may differ in type or alternate queue; the caller decides whether that is an error).
     */
    Exchange declareExchange(Exchange exchange);

    /** Removes the exchange and all its bindings; returns whether it existed. */
    boolean deleteExchange(String name);

    /**
     * Adds a binding to an existing exchange (binding twice is binding once); false, and nothing
     * stored, when the exchange does not exist. Atomic with respect to {@link #deleteExchange}.
     */
    boolean bind(Binding binding);

    /** Removes a binding; returns whether it was there. */
    boolean unbind(Binding binding);

    /** Every exchange and binding, read in one consistent step. */
    RoutingTable routingTable();

    /**
     * The {@linkplain RoutingTable#version() version} of the table, read without the table: how a
     * producer checks cheaply whether its copy is current.
     */
    long routingVersion();

    /**
     * Enqueues each envelope into the queue it is mapped to: a message published to several
     * queues. Same rules per queue as {@link Storage#enqueue} (idempotent by id, an eta schedules).
     * A backend that can do it in one atomic step (one transaction) does, so that after a failure
     * either every queue has its message or none has; one that cannot enqueues queue by queue,
     * and a caller that retries with the same ids completes what a failed attempt began without
     * duplicating what arrived.
     */
    void publish(Map<String, Envelope> byQueue);

    /** The exchange storage of {@code storage}, or an explanation of why there is none. */
    static ExchangeStorage of(Storage storage) {
        if (storage instanceof ExchangeStorage exchanges) {
            return exchanges;
        }
        throw new UnsupportedOperationException(storage + " does not implement ExchangeStorage: it cannot hold exchanges"
                + " and bindings; use MemoryStorage, SqliteStorage or RedisStorage to publish through exchanges");
    }
}
