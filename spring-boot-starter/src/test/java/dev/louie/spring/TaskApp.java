package dev.louie.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** The application of the tests: two task beans, one of them proxied, and a bean a task uses. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableCaching
@Import({Salutation.class, Greetings.class, Squares.class})
public class TaskApp {
    @Bean
    CacheManager cacheManager() {
        return new ConcurrentMapCacheManager();
    }
}
