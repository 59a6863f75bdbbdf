package dev.louie.core;

/**
 * How an exchange picks the queues of a message from its routing key. See docs/routing.md.
 */
public enum ExchangeType {
    /** To every queue bound with exactly the message's routing key. */
    DIRECT,
    /**
     * To every queue whose binding pattern matches the routing key, as AMQP defines it: words
     * separated by dots, {@code *} stands for exactly one word, {@code #} for zero or more.
     */
    TOPIC,
    /** To every bound queue; the routing key is ignored. */
    FANOUT
}
