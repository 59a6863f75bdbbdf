package dev.louie.spring;

import dev.louie.core.Louie;

/**
 * Changes the auto-configured {@link Louie.Builder} before it builds: a clock, a serializer, the
 * result TTL, hooks. Declare beans of this type; they run in their {@code @Order}, after the
 * storage, the task beans, the signal listeners and the task interceptors of the context are set.
 */
@FunctionalInterface
public interface LouieBuilderCustomizer {
    /** Changes {@code builder}. */
    void customize(Louie.Builder builder);
}
