package dev.louie.spring;

import dev.louie.core.Louie;
import dev.louie.core.PeriodicTask;
import dev.louie.core.Task;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.aop.SpringProxy;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The beans of a context that declare {@link Task} or {@link PeriodicTask} methods, found by their
 * types without creating any other bean, and how each registers: a class-based proxy through
 * {@link Louie.Builder#registerAs}, so that every call goes through its advice
 * ({@code @Transactional}, {@code @Cacheable}, …) and the task is named after the application's
 * class, not the generated one.
 */
final class TaskBeans {
    private final List<Entry> entries;
    private final Set<String> queues;

    /** One task bean: its name, the class that declares its tasks, and the object to call. */
    record Entry(String beanName, Class<?> type, Object bean) {
    }

    private TaskBeans(List<Entry> entries, Set<String> queues) {
        this.entries = List.copyOf(entries);
        this.queues = Collections.unmodifiableSet(new LinkedHashSet<>(queues));
    }

    /** Finds the task beans of {@code factory} and creates them. */
    static TaskBeans scan(ConfigurableListableBeanFactory factory) {
        List<Entry> entries = new ArrayList<>();
        Set<String> queues = new LinkedHashSet<>();
        queues.add(Louie.DEFAULT_QUEUE);
        for (String name : factory.getBeanNamesForType(Object.class, false, false)) {
            if (factory.containsBeanDefinition(name) && factory.getBeanDefinition(name).getRole() == BeanDefinition.ROLE_INFRASTRUCTURE) {
                continue;
            }
            Class<?> predicted = factory.getType(name, false);
            if (predicted == null) {
                continue;
            }
            Class<?> candidate = ClassUtils.getUserClass(predicted);
            if (SpringProxy.class.isAssignableFrom(predicted) && factory.containsSingleton(name)) {
                // already made, as an interface-based proxy: its type tells nothing of the target's methods
                candidate = AopUtils.getTargetClass(factory.getBean(name));
            }
            if (!declaresTasks(candidate)) {
                continue;
            }
            Object bean = factory.getBean(name);
            Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
            if (AopUtils.isJdkDynamicProxy(bean)) {
                throw new IllegalStateException("bean '" + name + "' is an interface-based proxy of " + type.getName()
                        + ", whose task methods Louie cannot call through the proxy's advice; make the proxy class-based"
                        + " (spring.aop.proxy-target-class=true, or proxyTargetClass = true on the @Enable… annotation that makes it)");
            }
            if (!type.isInstance(bean)) {
                Object target = AopProxyUtils.getSingletonTarget(bean);
                type = target != null ? target.getClass() : bean.getClass();
            }
            entries.add(new Entry(name, type, bean));
            queues.addAll(queuesOf(type));
        }
        return new TaskBeans(entries, queues);
    }

    /** No task beans: the queues are "default" alone. */
    static TaskBeans empty() {
        return new TaskBeans(List.of(), Set.of(Louie.DEFAULT_QUEUE));
    }

    /** Whether {@code type} or a superclass declares a task method. */
    static boolean declaresTasks(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Task.class) || m.isAnnotationPresent(PeriodicTask.class)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Set<String> queuesOf(Class<?> type) {
        Set<String> out = new LinkedHashSet<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                Task t = m.getAnnotation(Task.class);
                PeriodicTask p = m.getAnnotation(PeriodicTask.class);
                if (t != null) {
                    out.add(t.queue());
                }
                if (p != null) {
                    out.add(p.queue());
                }
            }
        }
        return out;
    }

    /** Registers every task bean with {@code builder}. */
    void registerWith(Louie.Builder builder) {
        for (Entry e : entries) {
            register(builder, e.type(), e.bean());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void register(Louie.Builder builder, Class<T> type, Object bean) {
        builder.registerAs(type, (T) bean);
    }

    /** The task beans found. */
    List<Entry> entries() {
        return entries;
    }

    /** "default" and every queue the task beans' annotations name, in that order. */
    Set<String> queues() {
        return queues;
    }
}
