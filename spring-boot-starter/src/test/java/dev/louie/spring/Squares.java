package dev.louie.spring;

import dev.louie.core.Task;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Component;

/** Task bean behind a class-based proxy (Spring's caching advice): a repeated argument is answered by the cache. */
@Component
public class Squares {
    private final AtomicInteger computed = new AtomicInteger();

    /** How often the method body ran (a method: the proxy's own fields are empty). */
    public int computed() {
        return computed.get();
    }

    @Task
    @Cacheable("squares")
    public int square(int x) {
        computed.incrementAndGet();
        return x * x;
    }
}
