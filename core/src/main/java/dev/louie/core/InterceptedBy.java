package dev.louie.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an annotation for task methods that only a {@link TaskInterceptor} of the given type
 * acts on (as {@code @Cached} needs {@code TaskCaches}): {@link Louie.Builder#build()} fails,
 * naming the method, when a task carries such an annotation and no interceptor of that type is
 * registered, instead of ignoring the annotation silently.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.ANNOTATION_TYPE)
public @interface InterceptedBy {
    /** The interceptor type that gives the annotation its effect. */
    Class<? extends TaskInterceptor> value();
}
