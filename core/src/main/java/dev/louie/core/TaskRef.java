package dev.louie.core;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * Method references to tasks, for type-safe submission: {@code louie.enqueue(MyTasks::greet, "alice")}.
 * The reference is resolved once to the registered task it names (through the serializable
 * lambda's metadata); nothing about it is sent over the wire but the task name.
 *
 * <p>{@code F0}…{@code F3} are methods returning a value with 0 to 3 parameters; {@code V0}…{@code V3}
 * are {@code void} methods.
 */
public interface TaskRef extends Serializable {

    /** A task method with no parameters returning {@code R}. */
    @FunctionalInterface
    interface F0<T, R> extends TaskRef {
        R call(T target) throws Exception;
    }

    /** A task method with one parameter returning {@code R}. */
    @FunctionalInterface
    interface F1<T, A, R> extends TaskRef {
        R call(T target, A a) throws Exception;
    }

    /** A task method with two parameters returning {@code R}. */
    @FunctionalInterface
    interface F2<T, A, B, R> extends TaskRef {
        R call(T target, A a, B b) throws Exception;
    }

    /** A task method with three parameters returning {@code R}. */
    @FunctionalInterface
    interface F3<T, A, B, C, R> extends TaskRef {
        R call(T target, A a, B b, C c) throws Exception;
    }

    /** A void task method with no parameters. */
    @FunctionalInterface
    interface V0<T> extends TaskRef {
        void call(T target) throws Exception;
    }

    /** A void task method with one parameter. */
    @FunctionalInterface
    interface V1<T, A> extends TaskRef {
        void call(T target, A a) throws Exception;
    }

    /** A void task method with two parameters. */
    @FunctionalInterface
    interface V2<T, A, B> extends TaskRef {
        void call(T target, A a, B b) throws Exception;
    }

    /** A void task method with three parameters. */
    @FunctionalInterface
    interface V3<T, A, B, C> extends TaskRef {
        void call(T target, A a, B b, C c) throws Exception;
    }

    /** The class and method a reference points to: "{@code com.example.MyTasks#greet(Ljava/lang/String;)Ljava/lang/String;}". */
    static String key(TaskRef ref) {
        try {
            Method writeReplace = ref.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            SerializedLambda lambda = (SerializedLambda) writeReplace.invoke(ref);
            if (lambda.getImplMethodKind() != java.lang.invoke.MethodHandleInfo.REF_invokeVirtual
                    && lambda.getImplMethodKind() != java.lang.invoke.MethodHandleInfo.REF_invokeInterface) {
                throw new IllegalArgumentException("pass a method reference to a task method, such as MyTasks::greet, not a lambda or a static method");
            }
            return lambda.getImplClass().replace('/', '.') + "#" + lambda.getImplMethodName() + lambda.getImplMethodSignature();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("pass a method reference to a task method, such as MyTasks::greet: " + e, e);
        }
    }

    /** The same key for a method, as {@link #key(TaskRef)} gives for a reference to it. */
    static String key(Method method) {
        StringBuilder sig = new StringBuilder("(");
        for (Class<?> p : method.getParameterTypes()) {
            sig.append(descriptor(p));
        }
        sig.append(')').append(descriptor(method.getReturnType()));
        return method.getDeclaringClass().getName() + "#" + method.getName() + sig;
    }

    private static String descriptor(Class<?> c) {
        if (c.isArray()) {
            return c.getName().replace('.', '/');
        }
        if (c.isPrimitive()) {
            return switch (c.getName()) {
                case "int" -> "I";
                case "long" -> "J";
                case "boolean" -> "Z";
                case "byte" -> "B";
                case "char" -> "C";
                case "short" -> "S";
                case "float" -> "F";
                case "double" -> "D";
                default -> "V";
            };
        }
        return "L" + c.getName().replace('.', '/') + ";";
    }
}
