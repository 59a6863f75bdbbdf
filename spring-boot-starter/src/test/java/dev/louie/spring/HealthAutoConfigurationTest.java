package dev.louie.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.Louie;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When the health indicator is made, and what it says of an application without a consumer. */
class HealthAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LouieAutoConfiguration.class, LouieHealthAutoConfiguration.class))
            .withPropertyValues("louie.storage=memory:", "louie.consumer.workers=1");

    @Test
    void theIndicatorIsMadeBesideLouie() {
        runner.withBean(AutoConfigurationTest.Hello.class).run(context -> assertThat(context).hasNotFailed().hasBean("louieHealthIndicator"));
    }

    @Test
    void anIndicatorOfTheApplicationsOwnNamedLouieHealthIndicatorWins() {
        HealthIndicator own = () -> org.springframework.boot.health.contributor.Health.outOfService().build();
        runner.withBean("louieHealthIndicator", HealthIndicator.class, () -> own).run(context ->
                assertThat(context.getBean("louieHealthIndicator", HealthIndicator.class).health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE));
    }

    @Test
    void withoutAConsumerTheApplicationIsAProducerAndHealthSaysSo() {
        runner.withBean(AutoConfigurationTest.Hello.class).withPropertyValues("louie.consumer.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Louie.class).doesNotHaveBean(ConsumerLifecycle.class);
            var health = context.getBean("louieHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(SqliteHealthTest.map(health.getDetails().get("consumer"))).containsEntry("state", "none in this application");
        });
    }
}
