package dev.louie.spring;

import dev.louie.core.Louie;
import dev.louie.micrometer.LouieMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Louie's meters ({@code louie.task.duration}, {@code louie.tasks.enqueued}, the queue gauges, …;
 * see docs/monitoring.md) in the application's {@code MeterRegistry}: made where
 * {@code louie-micrometer} is on the class path and the application has a {@link Louie}. The bean
 * is a Micrometer {@code MeterBinder}, which Spring Boot's metrics support binds to every registry
 * it manages; a {@link LouieMetrics} bean of the application's own replaces it.
 */
@AutoConfiguration(after = LouieAutoConfiguration.class)
@ConditionalOnClass({LouieMetrics.class, io.micrometer.core.instrument.MeterRegistry.class})
@ConditionalOnBean(Louie.class)
public class LouieMetricsAutoConfiguration {

    /** Made by Spring Boot. */
    public LouieMetricsAutoConfiguration() {
    }

    /**
     * The binder of the application's Louie, with the default queues and refresh interval.
     *
     * @param louie the application's Louie
     * @return the binder
     */
    @Bean
    @ConditionalOnMissingBean
    LouieMetrics louieMetrics(Louie louie) {
        return LouieMetrics.builder(louie).build();
    }
}
