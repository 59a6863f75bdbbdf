package dev.louie.examples.spring;

import dev.louie.core.Louie;
import dev.louie.core.Result;
import dev.louie.core.TaskFailedException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /quote/{item}?quantity=n} waits for its task (sync); {@code POST /baskets} enqueues
 * and answers 202 with where the result will be (async); {@code GET /baskets/{id}} reads it.
 */
@RestController
public class PriceController {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Louie louie;

    /** Louie is a bean like any other. */
    public PriceController(Louie louie) {
        this.louie = louie;
    }

    /** Runs the quote task on a worker and waits for its result. */
    @GetMapping("/quote/{item}")
    public Map<String, Object> quote(@PathVariable String item, @RequestParam(defaultValue = "1") int quantity) {
        long cents = louie.enqueue(PriceTasks::quote, item, quantity).get(WAIT);
        return Map.of("item", item, "quantity", quantity, "cents", cents);
    }

    /** Enqueues the basket total and returns at once: 202 and the result's address. */
    @PostMapping("/baskets")
    public ResponseEntity<Map<String, Object>> basket(@RequestBody List<String> items) {
        Result<Long> result = louie.enqueue(PriceTasks::basketTotal, items);
        return ResponseEntity.accepted().location(URI.create("/baskets/" + result.id())).body(Map.of("id", result.id()));
    }

    /** 200 with the total once the task has run, 202 while it has not. */
    @GetMapping("/baskets/{id}")
    public ResponseEntity<Map<String, Object>> basketResult(@PathVariable String id) {
        Result<Long> result = louie.result(id, Long.class);
        if (!result.isDone()) {
            return ResponseEntity.accepted().body(Map.of("id", id, "state", "pending"));
        }
        return ResponseEntity.ok(Map.of("id", id, "cents", result.get(WAIT)));
    }

    /** A task that failed (an item not in the catalog) is the client's mistake here: 422 with the task's error. */
    @ExceptionHandler(TaskFailedException.class)
    public ResponseEntity<Map<String, Object>> failed(TaskFailedException e) {
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT).body(Map.of("error", e.getMessage()));
    }
}
