package dev.louie.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.batching.simulation.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests submitted from inside a batch's completion (closed-loop callers that send their next
 * request when the last one is answered) are dispatched together once the completion step ends,
 * not one by one into a slot that happens to be free; requests from anywhere else are dispatched
 * at once, as before. Deterministic: virtual time, futures completed by the test.
 */
@Timeout(10)
class CompletionResubmitTest {
    private final VirtualTime time = new VirtualTime();
    private final List<List<String>> calls = new ArrayList<>();
    private final List<CompletableFuture<List<String>>> running = new ArrayList<>();

    private Batcher<String, String> batcher() {
        return Batcher.<String, String>asyncBuilder(in -> {
                    calls.add(List.copyOf(in));
                    CompletableFuture<List<String>> f = new CompletableFuture<>();
                    running.add(f);
                    return f;
                })
                .policy(BatchPolicy.fixed(64, Duration.ZERO))
                .concurrency(2)
                .clock(time)
                .name("resubmit")
                .build();
    }

    @Test
    void resubmissionsFromACompletionShareOneBatch() {
        Batcher<String, String> b = batcher();
        CompletableFuture<String> a = b.submit("a");
        a.thenAccept(out -> {
            b.submit("b");
            b.submit("c");
            b.submit("d");
        });
        assertThat(calls).containsExactly(List.of("a"));
        assertThat(b.inFlight()).isEqualTo(1); // the second slot is free throughout

        running.get(0).complete(List.of("A"));

        assertThat(a).isCompletedWithValue("A");
        assertThat(calls).containsExactly(List.of("a"), List.of("b", "c", "d"));
        assertThat(b.inFlight()).isEqualTo(1);
        assertThat(b.queueDepth()).isZero();
    }

    @Test
    void aRequestFromOutsideACompletionIsDispatchedAtOnce() {
        Batcher<String, String> b = batcher();
        b.submit("a");
        CompletableFuture<String> e = b.submit("e");
        assertThat(calls).containsExactly(List.of("a"), List.of("e"));
        running.get(1).complete(List.of("E"));
        assertThat(e).isCompletedWithValue("E");
        assertThat(time.nanoTime()).isZero(); // nothing waited for a timer
    }

    @Test
    void resubmissionsWaitForAFullSlotOnlyAsLongAsBefore() {
        Batcher<String, String> b = batcher();
        CompletableFuture<String> a = b.submit("a");
        b.submit("x"); // both slots busy now
        a.thenAccept(out -> b.submit("b"));
        running.get(0).complete(List.of("A"));
        // a's slot was freed when its completion step ended, and took b at once
        assertThat(calls).containsExactly(List.of("a"), List.of("x"), List.of("b"));
    }
}
