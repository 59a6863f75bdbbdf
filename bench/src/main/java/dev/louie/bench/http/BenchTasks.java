package dev.louie.bench.http;

import dev.louie.core.Task;

/** The task of {@code bench http --target task}: as little work as a task can be, so the path around it is measured. */
public class BenchTasks {
    /** {@code a + b}. */
    @Task(name = "add")
    public int add(int a, int b) {
        return a + b;
    }
}
