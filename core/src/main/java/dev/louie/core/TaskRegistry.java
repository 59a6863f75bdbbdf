package dev.louie.core;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tasks of one {@link Louie}: found by scanning the registered objects for {@link Task} and
 * {@link PeriodicTask} methods, checked (every definition, duplicate names, annotations whose
 * interceptor is missing) when the Louie is built, and looked up by name or by method reference.
 */
final class TaskRegistry {
    private final Map<String, TaskDefinition> byName;
    private final Map<String, TaskDefinition> byMethod;
    /** Method references resolve through a lambda class once, then through this cache. */
    private final Map<Class<?>, TaskDefinition> byRefClass = new ConcurrentHashMap<>();

    private TaskRegistry(Map<String, TaskDefinition> byName, Map<String, TaskDefinition> byMethod) {
        this.byName = Collections.unmodifiableMap(byName);
        this.byMethod = byMethod;
    }

    /**
     * Scans {@code targets} and checks every task found.
     *
     * @throws TaskDefinitionException naming the method of the first invalid task
     */
    static TaskRegistry scan(String application, List<Target> targets, Serializer serializer, List<TaskInterceptor> interceptors) {
        Map<String, TaskDefinition> named = new LinkedHashMap<>();
        Map<String, TaskDefinition> methods = new ConcurrentHashMap<>();
        for (Target entry : targets) {
            Object target = entry.instance();
            boolean found = false;
            for (Method m : taskMethods(entry.type())) {
                Task t = m.getAnnotation(Task.class);
                PeriodicTask p = m.getAnnotation(PeriodicTask.class);
                if (t != null && p != null) {
                    throw new TaskDefinitionException("invalid task " + m + ": use @Task or @PeriodicTask, not both");
                }
                TaskDefinition d = t != null ? TaskDefinition.of(entry.type(), target, m, t, serializer)
                        : TaskDefinition.of(entry.type(), target, m, p, serializer);
                requireInterceptors(application, m, interceptors);
                TaskDefinition clash = named.putIfAbsent(d.name, d);
                if (clash != null) {
                    throw new TaskDefinitionException("duplicate task name '" + d.name + "': " + clash.method + " and " + d.method
                            + "; give one of them another name with @Task(name = ...)");
                }
                methods.put(TaskRef.key(d.method), d);
                found = true;
            }
            if (!found) {
                throw new TaskDefinitionException(entry.type().getName()
                        + " has no public method annotated with @Task or @PeriodicTask");
            }
        }
        return new TaskRegistry(named, methods);
    }

    /**
     * An object whose task methods are those that {@code type} and its superclasses declare, and
     * whose default task names start with {@code type}'s simple name: the object's own class, or a
     * class it extends when the object is a generated subclass (a proxy that wraps the calls).
     */
    record Target(Class<?> type, Object instance) {
        Target {
            if (!type.isInstance(instance)) {
                throw new IllegalArgumentException("the task object must be an instance of " + type.getName() + ", not of "
                        + instance.getClass().getName());
            }
        }
    }

    /** Fails when the method carries an annotation that only an unregistered interceptor acts on. */
    private static void requireInterceptors(String application, Method method, List<TaskInterceptor> interceptors) {
        for (Annotation a : method.getAnnotations()) {
            InterceptedBy by = a.annotationType().getAnnotation(InterceptedBy.class);
            if (by != null && interceptors.stream().noneMatch(by.value()::isInstance)) {
                throw new TaskDefinitionException("invalid task " + method.getDeclaringClass().getName() + "#" + method.getName()
                        + ": @" + a.annotationType().getSimpleName() + " takes effect only with a " + by.value().getSimpleName()
                        + " interceptor, and this Louie has none: add .interceptor(...) with one to Louie.builder(\"" + application + "\")");
            }
        }
    }

    /** The annotated methods of {@code type} and its superclasses (an override hides the method it overrides), by name. */
    private static List<Method> taskMethods(Class<?> type) {
        List<Method> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isSynthetic() || m.isBridge()) {
                    continue;
                }
                if ((m.isAnnotationPresent(Task.class) || m.isAnnotationPresent(PeriodicTask.class))
                        && seen.add(m.getName() + Arrays.toString(m.getParameterTypes()))) {
                    out.add(m);
                }
            }
        }
        out.sort(Comparator.comparing(Method::getName));
        return out;
    }

    /** Every registered task, by name, in registration order. */
    Map<String, TaskDefinition> byName() {
        return byName;
    }

    /**
     * The task named {@code task}: the registered one, or, where tasks may run elsewhere, an
     * unregistered stand-in for a producer that does not have the class.
     */
    TaskDefinition named(String task, boolean mustBeRegistered) {
        TaskDefinition d = byName.get(task);
        if (d != null) {
            return d;
        }
        if (mustBeRegistered) {
            throw new IllegalArgumentException("no task named '" + task + "' is registered, and immediate mode runs tasks "
                    + "on this thread; registered: " + byName.keySet());
        }
        return TaskDefinition.unregistered(task);
    }

    /** The registered task a method reference points to. */
    TaskDefinition resolve(TaskRef ref) {
        TaskDefinition d = byRefClass.get(ref.getClass());
        if (d != null) {
            return d;
        }
        String key = TaskRef.key(ref);
        d = byMethod.get(key);
        if (d == null) {
            throw new IllegalArgumentException("the method " + key.substring(0, key.indexOf('('))
                    + " is not a registered task: annotate it with @Task and register an instance of its class");
        }
        byRefClass.put(ref.getClass(), d);
        return d;
    }
}
