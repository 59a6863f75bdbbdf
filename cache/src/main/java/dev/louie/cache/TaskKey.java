package dev.louie.cache;

import java.util.Objects;

/**
 * The key of one task call: equality by its text (task name + argument JSON or custom key); the
 * arguments ride along so that a refresh can run the task again.
 */
final class TaskKey {
    final String text;
    final Object[] args;

    TaskKey(String text, Object[] args) {
        this.text = Objects.requireNonNull(text);
        this.args = args;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskKey k && k.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
