package dev.louie.core;

/**
 * A publish found no queue: no binding of the exchange matches the routing key and the exchange
 * has no alternate queue. Nothing was enqueued.
 */
public class UnroutableException extends LouieException {
    private static final long serialVersionUID = 1L;

    private final String exchange;
    private final String routingKey;

    /** A publish to {@code exchange} with {@code routingKey} that no binding matched. */
    public UnroutableException(String exchange, String routingKey) {
        super("no queue is bound to exchange '" + exchange + "' for routing key '" + routingKey + "'; nothing was enqueued:"
                + " bind a queue (louie.exchanges().bind(\"" + exchange + "\", queue, pattern)) or declare the exchange"
                + " with an alternate queue");
        this.exchange = exchange;
        this.routingKey = routingKey;
    }

    /** The exchange published to. */
    public String exchange() {
        return exchange;
    }

    /** The routing key that matched no binding. */
    public String routingKey() {
        return routingKey;
    }
}
