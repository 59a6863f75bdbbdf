package dev.louie.core;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * What a {@link Louie} knows of one registered task, for tools that expose tasks (an HTTP API, a
 * schema generator, a validator of arguments): its name, the object and method that run it, and the
 * queue it goes to.
 *
 * @param name   the task's name ({@code @Task(name)}, else {@code SimpleClassName.methodName})
 * @param target the registered object whose method runs the task
 * @param method the public method that runs it; its generic parameter and return types are what a
 *               caller sends and gets back
 * @param queue  the queue its messages go to
 */
public record RegisteredTask(String name, Object target, Method method, String queue) {
    /** Checks that every part is there. */
    public RegisteredTask {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(queue, "queue");
    }

    /** The declared parameter types, generic ones included ({@code List<Item>}). */
    public Type[] parameterTypes() {
        return method.getGenericParameterTypes();
    }

    /** The declared return type, generic ones included; {@code void} for a task without a value. */
    public Type returnType() {
        return method.getGenericReturnType();
    }
}
