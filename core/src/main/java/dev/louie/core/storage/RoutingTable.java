package dev.louie.core.storage;

import dev.louie.core.Binding;
import dev.louie.core.Exchange;
import java.util.List;

/**
 * Every exchange and binding a storage holds, read in one consistent step.
 *
 * @param version   changes whenever a declare, delete, bind, unbind or flush changed the table
 *                  (an opaque value: compare it for equality only)
 * @param exchanges the exchanges
 * @param bindings  the bindings of those exchanges
 */
public record RoutingTable(long version, List<Exchange> exchanges, List<Binding> bindings) {
    /** Copies the lists. */
    public RoutingTable {
        exchanges = List.copyOf(exchanges);
        bindings = List.copyOf(bindings);
    }
}
