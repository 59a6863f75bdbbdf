package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistrationTest {
    /** Jackson cannot construct this: its only constructor takes two values and nothing says which property is which. */
    public static final class NoCreator {
        private final int x;
        private final int y;

        public NoCreator(int x, int y) {
            this.x = x;
            this.y = y;
        }

        public int getX() {
            return x;
        }

        public int getY() {
            return y;
        }
    }

    public static class NoCreatorParam {
        @Task
        public void take(NoCreator value) {
        }
    }

    public static class NoCreatorInList {
        @Task
        public void take(java.util.List<NoCreator> values) {
        }
    }

    /** Needs an interceptor that is not registered. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @InterceptedBy(Counting.class)
    public @interface Counted {
    }

    public static final class Counting implements TaskInterceptor {
        @Override
        public Invoker intercept(TaskInfo task, Invoker next) {
            return next;
        }
    }

    public static class CountedTask {
        @Task
        @Counted
        public String hi() {
            return "hi";
        }
    }

    @org.junit.jupiter.api.Test
    void aParameterTypeJacksonCannotCreateFailsAtBuild() {
        assertThatThrownBy(() -> Louie.builder("t").register(new NoCreatorParam()).build())
                .isInstanceOf(TaskDefinitionException.class)
                .hasMessageContaining("NoCreatorParam#take").hasMessageContaining("@JsonCreator");
        assertThatThrownBy(() -> Louie.builder("t").register(new NoCreatorInList()).build())
                .isInstanceOf(TaskDefinitionException.class).hasMessageContaining("NoCreator");
    }

    @org.junit.jupiter.api.Test
    void anAnnotationWhoseInterceptorIsMissingFailsAtBuild() {
        assertThatThrownBy(() -> Louie.builder("t").register(new CountedTask()).build())
                .isInstanceOf(TaskDefinitionException.class)
                .hasMessageContaining("CountedTask#hi").hasMessageContaining("@Counted takes effect only with a Counting interceptor");
        Louie.builder("t").register(new CountedTask()).interceptor(new Counting()).build().close();
    }

    @org.junit.jupiter.api.Test
    void oneStorageServesOneApplication() {
        dev.louie.core.storage.MemoryStorage storage = new dev.louie.core.storage.MemoryStorage();
        Louie.builder("shop").storage(storage).build();
        Louie.builder("shop").storage(storage).build();
        assertThatThrownBy(() -> Louie.builder("geo").storage(storage).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'shop'").hasMessageContaining("'geo'");
    }

    public static class Other {
        @Task(name = "add")
        public int add(int a, int b) {
            return a - b;
        }
    }

    public static class BadCron {
        @PeriodicTask(cron = "61 * * * *")
        public void tick() {
        }
    }

    public static class ObjectParam {
        @Task
        public void take(Object anything) {
        }
    }

    public static class InterfaceParam {
        @Task
        public void take(Runnable r) {
        }
    }

    public static class PrivateTask {
        @Task
        private void hidden() {
        }
    }

    public static class BadDuration {
        @Task(retryDelay = "soon")
        public void later() {
        }
    }

    public static class PeriodicWithArgs {
        @PeriodicTask(cron = "* * * * *")
        public void tick(String s) {
        }
    }

    public static class NoTasks {
        public void plain() {
        }
    }

    public static class NotRegistered {
        @Task
        public String hi(String s) {
            return s;
        }
    }

    @Test
    void duplicateNamesFailNamingBothMethods() {
        assertThatThrownBy(() -> Louie.builder("t").register(new SampleTasks(), new Other()).build())
                .isInstanceOf(TaskDefinitionException.class)
                .hasMessageContaining("duplicate task name 'add'")
                .hasMessageContaining("SampleTasks.add")
                .hasMessageContaining("Other.add");
    }

    @Test
    void invalidCronNamesTheMethod() {
        assertThatThrownBy(() -> Louie.builder("t").register(new BadCron()).build())
                .isInstanceOf(TaskDefinitionException.class)
                .hasMessageContaining("BadCron#tick")
                .hasMessageContaining("invalid cron '61 * * * *'");
    }

    @Test
    void parameterTypesTheSerializerCannotHandleAreRejected() {
        assertThatThrownBy(() -> Louie.builder("t").register(new ObjectParam()).build())
                .isInstanceOf(TaskDefinitionException.class)
                .hasMessageContaining("ObjectParam#take")
                .hasMessageContaining("parameter 1");
        assertThatThrownBy(() -> Louie.builder("t").register(new InterfaceParam()).build())
                .isInstanceOf(TaskDefinitionException.class)
                .hasMessageContaining("java.lang.Runnable is an interface");
    }

    @Test
    void otherBadDefinitions() {
        assertThatThrownBy(() -> Louie.builder("t").register(new PrivateTask()).build())
                .hasMessageContaining("PrivateTask#hidden").hasMessageContaining("public instance method");
        assertThatThrownBy(() -> Louie.builder("t").register(new BadDuration()).build())
                .hasMessageContaining("retryDelay").hasMessageContaining("cannot parse duration 'soon'");
        assertThatThrownBy(() -> Louie.builder("t").register(new PeriodicWithArgs()).build())
                .hasMessageContaining("takes no parameters");
        assertThatThrownBy(() -> Louie.builder("t").register(new NoTasks()).build())
                .hasMessageContaining("NoTasks has no public method annotated");
    }

    @Test
    void submissionOfUnknownTasksFailsClearly() {
        try (Louie louie = Louie.builder("t").register(new SampleTasks()).build()) {
            assertThat(louie.tasks()).contains("SampleTasks.greet", "add", "SampleTasks.everyFiveMinutes");
            assertThatThrownBy(() -> louie.enqueue(NotRegistered::hi, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NotRegistered#hi is not a registered task");
            assertThatThrownBy(() -> louie.call("  "))
                    .hasMessageContaining("the task name must not be blank");
            assertThatThrownBy(() -> louie.enqueue("add", 1))
                    .hasMessageContaining("takes 2 argument(s)").hasMessageContaining("1 were given");
            TaskRef.F1<SampleTasks, String, String> lambda = (t, s) -> t.greet(s);
            assertThatThrownBy(() -> louie.enqueue(lambda, "x"))
                    .hasMessageContaining("method reference");
        }
    }

    @Test
    void durationsParse() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse("")).isNull();
        assertThatThrownBy(() -> Durations.parse("3 fortnights")).hasMessageContaining("250ms, 10s");
    }

    @Test
    void consumerOptionsAreValidated() {
        try (Louie louie = Louie.builder("t").register(new SampleTasks()).build()) {
            assertThatThrownBy(() -> louie.consumer().workers(0).start()).hasMessageContaining("workers must be at least 1, not 0");
            assertThatThrownBy(() -> louie.consumer().leaseTime(Duration.ZERO).start())
                    .hasMessageContaining("leaseTime must be positive, not PT0S");
            assertThatThrownBy(() -> louie.consumer().workers(-1).prefetch(0).gracePeriod(Duration.ofSeconds(-1)).queues(" ").start())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("workers must be at least 1, not -1")
                    .hasMessageContaining("prefetch must be at least 1, not 0")
                    .hasMessageContaining("gracePeriod must be zero or positive, not PT-1S")
                    .hasMessageContaining("queues must not be blank");
            if (Runtime.version().feature() < 21) {
                assertThatThrownBy(() -> louie.consumer().virtualThreads())
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Java 21");
            } else {
                assertThat(louie.consumer().virtualThreads()).isNotNull();
            }
        }
    }

    public static class Greeter {
        @Task
        public String greet(String name) {
            return "hello " + name;
        }
    }

    /** A generated subclass that wraps calls, as a class-based proxy does: its overrides carry no annotations. */
    public static final class WrappingGreeter extends Greeter {
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public String greet(String name) {
            calls.incrementAndGet();
            return super.greet(name) + "!";
        }
    }

    @Test
    void aSubclassRegisteredAsItsSuperclassIsNamedAfterItAndCalledThroughTheSubclass() {
        WrappingGreeter proxy = new WrappingGreeter();
        try (Louie louie = Louie.builder("t").immediate(true).registerAs(Greeter.class, proxy).build()) {
            assertThat(louie.tasks()).containsExactly("Greeter.greet");
            assertThat(louie.enqueue(Greeter::greet, "ann").get(Duration.ofSeconds(5))).isEqualTo("hello ann!");
            assertThat(louie.enqueue("Greeter.greet", "bob").get(Duration.ofSeconds(5))).isEqualTo("hello bob!");
            assertThat(proxy.calls).hasValue(2);
        }
        try (Louie louie = Louie.builder("t").register(proxy).build()) {
            assertThat(louie.tasks()).as("registered as its own class, the subclass names the task").containsExactly("WrappingGreeter.greet");
        }
    }

    @Test
    void aTargetOfAnotherTypeIsRefused() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Object> greeter = (Class) Greeter.class;
        assertThatThrownBy(() -> Louie.builder("t").registerAs(greeter, new SampleTasks()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an instance of dev.louie.core.RegistrationTest$Greeter, not of dev.louie.core.SampleTasks");
    }
}
