/**
 * Louie for Spring Boot: add {@code louie-spring-boot-starter}, set {@code louie.*} properties,
 * mark methods of beans with {@link dev.louie.core.Task} or {@link dev.louie.core.PeriodicTask}.
 *
 * <p>{@link dev.louie.spring.LouieAutoConfiguration} makes the {@link dev.louie.core.storage.Storage}
 * from {@code louie.storage}, the {@link dev.louie.core.Louie} with every task bean of the context,
 * and a {@link dev.louie.spring.ConsumerLifecycle} that runs the consumer between the context's
 * start and its close; {@link dev.louie.spring.LouieHealthAutoConfiguration} adds a health indicator
 * where Spring Boot's health support is present. {@link dev.louie.spring.LouieProperties} lists the
 * properties; {@link dev.louie.spring.LouieBuilderCustomizer} changes what properties cannot. Each
 * bean steps aside when the application declares its own of the same type.
 */
package dev.louie.spring;
