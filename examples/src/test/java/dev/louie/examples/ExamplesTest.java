package dev.louie.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.redis.RedisServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The examples run end to end and print what they promise. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExamplesTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @TempDir
    Path dir;

    private static String capture(ThrowingRunnable body) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void quickstartRunsEveryFeatureAndEnds() throws Exception {
        String out = capture(() -> Quickstart.main(new String[] {dir.resolve("q.db").toString()}));
        assertThat(out)
                .contains("greet        -> hello world")
                .contains("add (async)  -> 42")
                .contains("pipeline     -> 13")
                .contains("retried      -> import succeeded on call 3")
                .contains("cached 1     -> Paris").contains("cached 2     -> Paris")
                .containsPattern("periodic     -> heartbeat ran [12] time\\(s\\)")
                .containsPattern("model calls  -> \\d+ for 64 requests")
                .contains("done:");
    }

    @Test
    void routingExampleRoutesByTopicKeyAndFanout() throws Exception {
        String out = capture(() -> RoutingExample.main(new String[] {dir.resolve("routing.db").toString()}));
        assertThat(out)
                .contains("topic model.resnet.gpu -> 2 queues: [audit, gpu] = [resnet(cat.jpg), resnet(cat.jpg)]")
                .contains("topic model.bert.cpu   -> [audit] = [bert(hello)]")
                .contains("direct image.resize    -> [resize], image.ocr -> [jobs-unrouted] (the alternate queue)")
                .contains("unknown exchange       -> exchange 'models-typo' does not exist: declare it first")
                .contains("unroutable             -> no queue is bound to exchange 'strict' for routing key 'nothing.bound'")
                .contains("fanout [billing, shipping] = [handled o-1, handled o-1]")
                .contains("fanout [billing, shipping] = [handled o-2, handled o-2]")
                .contains("done");
    }

    @Test
    void redisExampleSharesWorkBetweenTwoConsumers() throws Exception {
        String out = capture(() -> RedisExample.main(new String[] {REDIS.uri(), "400"}));
        assertThat(out).contains("400 tasks through").contains("consumer-1=").contains("consumer-2=");
    }
}
