package dev.louie.spring;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.SignalListener;
import dev.louie.core.TaskInterceptor;
import dev.louie.core.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Louie's beans, each made only when the application has none of its type: the {@link Storage}
 * that {@code louie.storage} names, the {@link Louie} with every bean of the context that declares
 * {@code @Task} or {@code @PeriodicTask} methods (and the context's {@link SignalListener},
 * {@link TaskInterceptor} and {@link LouieBuilderCustomizer} beans), and, unless
 * {@code louie.consumer.enabled=false}, the {@link ConsumerLifecycle} that runs a consumer while
 * the context runs. Spring Boot finds this class through
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}.
 *
 * <p>A task bean is created with the {@link Louie}, so it cannot take the {@link Louie} in its
 * constructor; one that submits further tasks takes an {@code ObjectProvider<Louie>}.
 */
@AutoConfiguration
@EnableConfigurationProperties(LouieProperties.class)
public class LouieAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(LouieAutoConfiguration.class);

    /** Made by Spring Boot. */
    public LouieAutoConfiguration() {
    }

    /**
     * The storage {@code louie.storage} names; closed with the {@link Louie} that uses it.
     *
     * @param properties the {@code louie.*} properties
     * @return the storage, not yet attached to an application
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Storage louieStorage(LouieProperties properties) {
        Storage storage = StorageUri.open(properties.getStorage());
        LOG.info("Louie storage from louie.storage={}: {}", properties.getStorage(), storage);
        return storage;
    }

    /**
     * The beans that declare tasks, created here, before the {@link Louie} that registers them.
     *
     * @param beanFactory where task beans are looked for
     * @return what was found
     */
    @Bean
    TaskBeans louieTaskBeans(ConfigurableListableBeanFactory beanFactory) {
        return TaskBeans.scan(beanFactory);
    }

    /**
     * The Louie of this application, with every task bean of the context registered.
     *
     * @param properties   the {@code louie.*} properties
     * @param environment  for {@code spring.application.name}, the default of {@code louie.name}
     * @param storage      the storage bean
     * @param tasks        the task beans
     * @param listeners    signal listener beans
     * @param interceptors task interceptor beans, in their order
     * @param customizers  builder customizer beans, in their order
     * @return the built Louie
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Louie louie(LouieProperties properties, Environment environment, Storage storage, TaskBeans tasks,
                       ObjectProvider<SignalListener> listeners, ObjectProvider<TaskInterceptor> interceptors,
                       ObjectProvider<LouieBuilderCustomizer> customizers) {
        String name = applicationName(properties, environment);
        Louie.Builder builder = Louie.builder(name).storage(storage);
        tasks.registerWith(builder);
        listeners.orderedStream().forEach(builder::listener);
        interceptors.orderedStream().forEach(builder::interceptor);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        Louie louie = builder.build();
        LOG.info("Louie '{}' with {} tasks from {} beans: {}", name, louie.tasks().size(), tasks.entries().size(), louie.tasks());
        return louie;
    }

    /**
     * Runs a consumer from {@code louie.consumer.*} while the context runs.
     *
     * @param louie      the Louie whose tasks it runs
     * @param properties the {@code louie.*} properties
     * @return the lifecycle, started by the context once every singleton exists
     */
    @Bean
    @ConditionalOnMissingBean({ConsumerLifecycle.class, Consumer.class})
    @ConditionalOnProperty(prefix = "louie.consumer", name = "enabled", havingValue = "true", matchIfMissing = true)
    public ConsumerLifecycle louieConsumer(Louie louie, LouieProperties properties) {
        return new ConsumerLifecycle(louie, properties.getConsumer());
    }

    /** {@code louie.name}, else {@code spring.application.name}, else "louie". */
    static String applicationName(LouieProperties properties, Environment environment) {
        if (properties.getName() != null) {
            return properties.getName();
        }
        String springName = environment.getProperty("spring.application.name");
        return springName == null || springName.isBlank() ? "louie" : springName;
    }
}
