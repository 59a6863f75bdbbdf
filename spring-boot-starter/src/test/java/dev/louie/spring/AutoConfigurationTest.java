package dev.louie.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Task;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.storage.Storage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the auto-configuration makes, what it leaves to the application's own beans, and what it refuses at startup. */
class AutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LouieAutoConfiguration.class))
            .withPropertyValues("louie.storage=memory:", "louie.consumer.workers=1");

    @TempDir
    Path dir;

    public static class Hello {
        @Task
        public String hello(String name) {
            return "hi " + name;
        }
    }

    @Test
    void everyBeanIsMadeWhenTheApplicationHasNone() {
        runner.withBean(Hello.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Storage.class).hasSingleBean(Louie.class)
                    .hasSingleBean(ConsumerLifecycle.class);
            Louie louie = context.getBean(Louie.class);
            assertThat(louie.name()).as("without louie.name nor spring.application.name").isEqualTo("louie");
            assertThat(louie.storage()).isInstanceOf(MemoryStorage.class);
            assertThat(louie.enqueue(Hello::hello, "x").get(Duration.ofSeconds(60))).isEqualTo("hi x");
        });
    }

    /** A task that submits another: it takes the Louie through a provider, as it is created before the Louie. */
    public static class Chain {
        private final ObjectProvider<Louie> louie;

        public Chain(ObjectProvider<Louie> louie) {
            this.louie = louie;
        }

        @Task
        public String first(String name) {
            return louie.getObject().enqueue(Hello::hello, name).id();
        }
    }

    @Test
    void aTaskBeanSubmitsFurtherTasksThroughAnObjectProvider() {
        runner.withBean(Hello.class).withBean(Chain.class).run(context -> {
            assertThat(context).hasNotFailed();
            Louie louie = context.getBean(Louie.class);
            String next = louie.enqueue(Chain::first, "chained").get(Duration.ofSeconds(60));
            assertThat(louie.result(next, String.class).get(Duration.ofSeconds(60))).isEqualTo("hi chained");
        });
    }

    @Test
    void theApplicationsStorageWinsOverLouieStorage() {
        MemoryStorage own = new MemoryStorage();
        runner.withPropertyValues("louie.storage=sqlite:" + dir.resolve("unused.db"))
                .withBean(Storage.class, () -> own).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Storage.class);
                    assertThat(context.getBean(Louie.class).storage()).isSameAs(own);
                    assertThat(dir.resolve("unused.db")).doesNotExist();
                });
    }

    @Test
    void theApplicationsLouieWinsAndTheConsumerRunsIt() {
        runner.withBean(Louie.class, () -> Louie.builder("own").register(new Hello()).build()).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Louie.class);
            Louie louie = context.getBean(Louie.class);
            assertThat(louie.name()).isEqualTo("own");
            assertThat(context.getBean(ConsumerLifecycle.class).isRunning()).isTrue();
            assertThat(louie.enqueue(Hello::hello, "own").get(Duration.ofSeconds(60))).isEqualTo("hi own");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnConsumer {
        @Bean(destroyMethod = "close")
        Consumer consumer(Louie louie) {
            return louie.consumer().workers(1).start();
        }
    }

    @Test
    void theApplicationsConsumerWins() {
        runner.withBean(Hello.class).withUserConfiguration(OwnConsumer.class)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Consumer.class).doesNotHaveBean(ConsumerLifecycle.class));
    }

    @Test
    void customizersChangeTheBuilder() {
        runner.withBean(LouieBuilderCustomizer.class, () -> b -> b.register(new Hello())).run(context ->
                assertThat(context.getBean(Louie.class).tasks()).containsExactly("Hello.hello"));
    }

    @Test
    void invalidPropertiesStopTheStartupNamingEachProperty() {
        runner.withPropertyValues("louie.consumer.workers=0", "louie.consumer.grace-period=-1s", "louie.storage=ftp://files",
                "louie.name= ", "louie.consumer.queues=a,,b").run(context -> {
            assertThat(context).hasFailed();
            String message = messages(context.getStartupFailure());
            assertThat(message)
                    .contains("louie.consumer.workers must be at least 1, not 0")
                    .contains("louie.consumer.grace-period must be zero or positive, not PT-1S")
                    .contains("louie.storage must be sqlite:PATH, redis://HOST[:PORT][/DB], rediss://… or memory:, not 'ftp://files'")
                    .contains("louie.name must not be blank, not ''")
                    .contains("louie.consumer.queues must be names that are not blank");
        });
    }

    @Test
    void aPropertyOfTheWrongTypeIsNamed() {
        runner.withPropertyValues("louie.consumer.workers=many").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("louie.consumer.workers").contains("many");
        });
    }

    /** A task bean behind an interface-based proxy. */
    public interface Shapes {
        int area(int side);
    }

    public static class CachedShapes implements Shapes {
        @Task
        @Cacheable("areas")
        @Override
        public int area(int side) {
            return side * side;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class InterfaceProxies {
        @Bean
        CacheManager cacheManager() {
            return new ConcurrentMapCacheManager();
        }
    }

    @Test
    void aTaskBeanBehindAnInterfaceBasedProxyIsRefusedWithWhatToDo() {
        runner.withUserConfiguration(InterfaceProxies.class).withBean("shapes", CachedShapes.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("bean 'shapes' is an interface-based proxy of " + CachedShapes.class.getName())
                    .contains("spring.aop.proxy-target-class=true");
        });
    }

    @Test
    void theMetadataListsEveryProperty() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated by spring-boot-configuration-processor").isNotNull();
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(json).contains("\"louie.name\"", "\"louie.storage\"", "\"louie.consumer.enabled\"", "\"louie.consumer.workers\"",
                    "\"louie.consumer.queues\"", "\"louie.consumer.periodic\"", "\"louie.consumer.grace-period\"",
                    "\"defaultValue\": \"sqlite:.\\/louie.db\"");
        }
    }

    private static String messages(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.append(c.getMessage()).append('\n');
        }
        return out.toString();
    }
}
