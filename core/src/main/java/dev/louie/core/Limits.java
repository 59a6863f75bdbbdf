package dev.louie.core;

import dev.louie.core.storage.LimitStorage;
import dev.louie.core.storage.Storage;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rate and concurrency limits a {@link Louie} applies to the tasks its consumers start. Get it
 * from {@link Louie#limits()}; the {@link Task#rateLimit()} and {@link Task#concurrency()} of the
 * registered tasks are its starting values.
 *
 * <pre>{@code
 * louie.limits().rate("Models.predict", "100/s");   // a task's name: at most 100 starts per second
 * louie.limits().concurrency("gpu", 2);             // a queue's name: at most 2 of its tasks at once
 * louie.limits().rate("Models.predict", null);      // no rate limit any more
 * }</pre>
 *
 * <p>A name is a task's name or a queue's name: a message is subject to the limits of its task and
 * of its queue (a task and a queue of the same name share one limit). The counts live in the
 * storage ({@link LimitStorage}), so a limit holds across every consumer of the storage that
 * applies it; what is set here applies to the consumers of this {@code Louie} (each process sets
 * its own, while an annotation gives its limit to every process that registers the task). Several
 * processes that apply one limit should give it the same value. Changes take effect at the next
 * start. Thread-safe.
 */
public final class Limits {
    private final Storage storage;
    private final Map<String, RateLimit> rates = new ConcurrentHashMap<>();
    private final Map<String, Integer> slots = new ConcurrentHashMap<>();
    private volatile boolean none;

    Limits(Storage storage, Iterable<TaskDefinition> tasks) {
        this.storage = storage;
        for (TaskDefinition d : tasks) {
            if (d.rateLimit != null) {
                rates.put(d.name, d.rateLimit);
            }
            if (d.concurrency > 0) {
                slots.put(d.name, d.concurrency);
            }
        }
        changed();
    }

    /**
     * Sets the rate limit of the task or queue {@code name} to {@code rate} ({@code "100/s"},
     * {@code "20/m"}, {@code "1000/h"}), or removes it with {@code null}.
     *
     * @throws IllegalArgumentException      when the name or the rate is malformed
     * @throws UnsupportedOperationException when the storage does not support global limits
     */
    public Limits rate(String name, String rate) {
        checkName(name);
        RateLimit parsed;
        try {
            parsed = RateLimit.parse(rate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rate limit of '" + name + "': " + e.getMessage(), e);
        }
        if (parsed == null) {
            rates.remove(name);
        } else {
            LimitStorage.of(storage);
            rates.put(name, parsed);
        }
        changed();
        return this;
    }

    /**
     * Sets how many tasks of the task or queue {@code name} may run at once across the consumers
     * of the storage; {@code 0} removes the limit.
     *
     * @throws IllegalArgumentException      when the name is malformed or {@code slots} is negative
     * @throws UnsupportedOperationException when the storage does not support global limits
     */
    public Limits concurrency(String name, int slots) {
        checkName(name);
        if (slots < 0) {
            throw new IllegalArgumentException("concurrency of '" + name + "' must be 0 (no limit) or more, not " + slots);
        }
        if (slots == 0) {
            this.slots.remove(name);
        } else {
            LimitStorage.of(storage);
            this.slots.put(name, slots);
        }
        changed();
        return this;
    }

    /** The rate limit of {@code name} in force here, as {@code "100/s"}; empty when there is none. */
    public Optional<String> rateOf(String name) {
        return Optional.ofNullable(rates.get(name)).map(RateLimit::toString);
    }

    /** The concurrency limit of {@code name} in force here; 0 when there is none. */
    public int concurrencyOf(String name) {
        return slots.getOrDefault(name, 0);
    }

    /** Whether no limit is set at all (the consumer's fast path). */
    boolean none() {
        return none;
    }

    RateLimit rateLimit(String name) {
        return rates.get(name);
    }

    int slots(String name) {
        return slots.getOrDefault(name, 0);
    }

    private void changed() {
        none = rates.isEmpty() && slots.isEmpty();
    }

    /** Whether {@code name} can name a limit: not blank, without '{' and '}' (Redis hash tags). */
    static boolean validName(String name) {
        return name != null && !name.isBlank() && name.indexOf('{') < 0 && name.indexOf('}') < 0;
    }

    private static void checkName(String name) {
        if (!validName(name)) {
            throw new IllegalArgumentException("a limit's name must be a task or queue name, not blank and without '{' and '}', not '"
                    + name + "'");
        }
    }

    @Override
    public String toString() {
        return "Limits[rates=" + rates + ", concurrency=" + slots + "]";
    }
}
