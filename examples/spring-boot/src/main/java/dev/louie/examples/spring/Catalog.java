package dev.louie.examples.spring;

import java.util.Map;
import org.springframework.stereotype.Service;

/** An ordinary Spring bean that tasks use: list prices in cents. */
@Service
public class Catalog {
    private final Map<String, Long> prices = Map.of("apple", 40L, "pear", 55L, "melon", 310L);

    /** The list price of {@code item} in cents. */
    public long priceOf(String item) {
        Long price = prices.get(item);
        if (price == null) {
            throw new IllegalArgumentException("no item named '" + item + "' in the catalog; there are " + prices.keySet());
        }
        return price;
    }
}
