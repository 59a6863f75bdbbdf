package dev.louie.http;

import dev.louie.core.Task;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Tasks whose parameter and return types cover what the OpenAPI document describes: records, enums, arrays, lists, sets, maps. */
public class CatalogTasks {
    /** An enum parameter. */
    public enum Size { SMALL, LARGE }

    /** A record with every kind of component. */
    public record Item(String name, int qty, Size size, List<String> tags, Map<String, Double> attributes, Instant added) {
    }

    /** A record that refers to itself. */
    public record Category(String name, List<Category> children) {
    }

    @Task(name = "catalog")
    public Map<String, Item> catalog(List<Item> items, Integer limit, Size size, double factor, long[] ids, Set<String> labels) {
        return items.stream().limit(limit == null ? 10 : limit).collect(Collectors.toMap(Item::name, i -> i));
    }

    @Task(name = "tree")
    public Category tree(Category root) {
        return root;
    }

    @Task(name = "touch")
    public void touch() {
    }
}
