package dev.louie.examples.spring;

import dev.louie.core.Task;
import java.util.List;
import org.springframework.stereotype.Component;

/** Tasks of a bean, registered by the starter; they run on the consumer's workers and use the {@link Catalog}. */
@Component
public class PriceTasks {
    private final Catalog catalog;

    /** The task bean takes other beans as any bean does. */
    public PriceTasks(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The price of {@code quantity} items, in cents. */
    @Task
    public long quote(String item, int quantity) {
        return catalog.priceOf(item) * quantity;
    }

    /** A slower job: the total of a whole basket, with a tenth off above ten euros. */
    @Task(queue = "reports", retries = 2, retryDelay = "1s")
    public long basketTotal(List<String> items) {
        long total = 0;
        for (String item : items) {
            total += catalog.priceOf(item);
        }
        return total > 1000 ? total - total / 10 : total;
    }
}
