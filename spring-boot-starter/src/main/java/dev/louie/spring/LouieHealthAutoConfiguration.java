package dev.louie.spring;

import dev.louie.core.Louie;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code louie} health indicator ({@code /actuator/health/louie} with Spring Boot's actuator):
 * storage reachable, consumer running, and per queue the messages ready, scheduled, leased and
 * dead-lettered. Made where Spring Boot's health support ({@code spring-boot-health}, part of
 * {@code spring-boot-starter-actuator}) is present and the application has a {@link Louie}; a bean
 * named {@code louieHealthIndicator} of the application's own replaces it.
 */
@AutoConfiguration(after = LouieAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(Louie.class)
public class LouieHealthAutoConfiguration {

    /** Made by Spring Boot. */
    public LouieHealthAutoConfiguration() {
    }

    /**
     * The indicator; its queues are {@code louie.consumer.queues}, else "default" and those the
     * task beans name.
     *
     * @param louie      the application's Louie
     * @param consumer   the consumer's lifecycle, absent in a producer-only application
     * @param properties the {@code louie.*} properties
     * @param tasks      the task beans found
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "louieHealthIndicator")
    org.springframework.boot.health.contributor.HealthIndicator louieHealthIndicator(
            Louie louie, ObjectProvider<ConsumerLifecycle> consumer, LouieProperties properties, ObjectProvider<TaskBeans> tasks) {
        var queues = !properties.getConsumer().getQueues().isEmpty() ? properties.getConsumer().getQueues()
                : tasks.getIfAvailable(() -> TaskBeans.empty()).queues();
        return new LouieHealthIndicator(louie, consumer.getIfAvailable(), java.util.List.copyOf(queues));
    }
}
