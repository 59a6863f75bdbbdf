package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Louie#task(String)}: what tools that expose tasks read of a registered one. */
class RegisteredTaskTest {
    /** Tasks with generic types and their own queue. */
    public static class Catalog {
        @Task(name = "names", queue = "slow")
        public List<String> names(List<Integer> ids, String prefix) {
            return ids.stream().map(i -> prefix + i).toList();
        }

        @Task
        public void touch() {
        }
    }

    @Test
    void registeredTaskGivesItsMethodGenericTypesAndQueue() throws Exception {
        Catalog catalog = new Catalog();
        try (Louie louie = Louie.builder("registered").register(catalog).build()) {
            RegisteredTask names = louie.task("names").orElseThrow();
            assertThat(names.name()).isEqualTo("names");
            assertThat(names.queue()).isEqualTo("slow");
            assertThat(names.target()).isSameAs(catalog);
            assertThat(names.method()).isEqualTo(Catalog.class.getMethod("names", List.class, String.class));
            assertThat(names.parameterTypes()[0].getTypeName()).isEqualTo("java.util.List<java.lang.Integer>");
            assertThat(names.returnType().getTypeName()).isEqualTo("java.util.List<java.lang.String>");

            RegisteredTask touch = louie.task("Catalog.touch").orElseThrow();
            assertThat(touch.queue()).isEqualTo(Louie.DEFAULT_QUEUE);
            assertThat(touch.returnType()).isEqualTo(void.class);
        }
    }

    @Test
    void unknownTaskIsEmpty() {
        try (Louie louie = Louie.builder("registered").register(new Catalog()).build()) {
            assertThat(louie.task("nope")).isEmpty();
        }
    }
}
