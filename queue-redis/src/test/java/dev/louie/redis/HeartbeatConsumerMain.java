package dev.louie.redis;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import java.time.Duration;

/**
 * A child JVM for {@link RedisHeartbeatIT}: a consumer of application {@code APP} on Redis
 * {@code URI} with a 200 ms heartbeat, serving queue {@code QUEUE}. Prints its consumer id, then
 * runs until killed (at most two minutes).
 *
 * <pre>URI APP QUEUE</pre>
 */
public final class HeartbeatConsumerMain {

    private HeartbeatConsumerMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Louie louie = Louie.builder(args[1]).storage(RedisStorage.builder(args[0]).build()).build();
                Consumer consumer = louie.consumer().workers(1).queues(args[2]).periodic(false)
                        .heartbeatInterval(Duration.ofMillis(200)).start()) {
            System.out.println("CONSUMER " + consumer.id());
            Thread.sleep(Duration.ofMinutes(2).toMillis());
        }
    }
}
