package dev.louie.core.storage;

import dev.louie.core.Binding;
import dev.louie.core.Exchange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The exchanges and bindings of a {@link MemoryStorage}; not thread-safe (the storage calls it
 * under its lock).
 */
final class ExchangeTable {
    private final Map<String, Exchange> exchanges = new LinkedHashMap<>();
    private final Set<Binding> bindings = new LinkedHashSet<>();
    /** Never reset, not even by {@link #clear}: a producer's copy of an older table never looks current. */
    private long version;

    Exchange declare(Exchange exchange) {
        Exchange existing = exchanges.putIfAbsent(exchange.name(), exchange);
        if (existing != null) {
            return existing;
        }
        version++;
        return exchange;
    }

    boolean delete(String name) {
        if (exchanges.remove(name) == null) {
            return false;
        }
        bindings.removeIf(b -> b.exchange().equals(name));
        version++;
        return true;
    }

    boolean bind(Binding binding) {
        if (!exchanges.containsKey(binding.exchange())) {
            return false;
        }
        if (bindings.add(binding)) {
            version++;
        }
        return true;
    }

    boolean unbind(Binding binding) {
        if (!bindings.remove(binding)) {
            return false;
        }
        version++;
        return true;
    }

    RoutingTable snapshot() {
        return new RoutingTable(version, new ArrayList<>(exchanges.values()), new ArrayList<>(bindings));
    }

    long version() {
        return version;
    }

    void clear() {
        exchanges.clear();
        bindings.clear();
        version++;
    }
}
