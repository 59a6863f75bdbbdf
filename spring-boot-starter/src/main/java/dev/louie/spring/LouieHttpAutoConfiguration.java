package dev.louie.spring;

import dev.louie.core.Louie;
import dev.louie.http.ApiKeys;
import dev.louie.http.Authenticator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Louie's HTTP API from {@code louie.http.*}, where louie-http is on the classpath and
 * {@code louie.http.enabled} is not false: a {@link HttpLifecycle} on {@code louie.http.port}
 * (8081 by default, beside the application's own web server). An {@link Authenticator} bean decides
 * who may call; without one {@code louie.http.api-key} does, and without that the API is open.
 */
@AutoConfiguration(after = LouieAutoConfiguration.class)
@ConditionalOnClass(name = "dev.louie.http.LouieHttp")
@ConditionalOnBean(Louie.class)
@ConditionalOnProperty(prefix = "louie.http", name = "enabled", havingValue = "true", matchIfMissing = true)
public class LouieHttpAutoConfiguration {

    /** Made by Spring Boot. */
    public LouieHttpAutoConfiguration() {
    }

    /**
     * The HTTP API's lifecycle.
     *
     * @param louie         the application's Louie
     * @param consumer      the consumer's lifecycle, absent in a producer-only application
     * @param authenticator an authenticator bean of the application's, if any
     * @param properties    the {@code louie.*} properties
     * @return the lifecycle, started by the context after the consumer
     */
    @Bean
    @ConditionalOnMissingBean
    public HttpLifecycle louieHttp(Louie louie, ObjectProvider<ConsumerLifecycle> consumer, ObjectProvider<Authenticator> authenticator,
                                   LouieProperties properties) {
        LouieProperties.Http settings = properties.getHttp();
        Authenticator auth = authenticator.getIfAvailable(
                () -> settings.getApiKey() == null ? Authenticator.none() : ApiKeys.of(settings.getApiKey()));
        return new HttpLifecycle(louie, consumer.getIfAvailable(), auth, settings);
    }
}
