/**
 * Louie's core: tasks, submission, results and the consumer.
 *
 * <h2>What a user touches</h2>
 * <ul>
 *   <li>{@link dev.louie.core.Louie} and its builder: register objects with {@link dev.louie.core.Task} and
 *       {@link dev.louie.core.PeriodicTask} methods, submit with {@code enqueue} / {@code call}
 *       ({@link dev.louie.core.TaskCall}, {@link dev.louie.core.TaskRef}), read {@link dev.louie.core.Result}s
 *       and {@link dev.louie.core.ResultGroup}s.</li>
 *   <li>{@link dev.louie.core.Consumer} runs tasks on worker threads; {@link dev.louie.core.InlineConsumer}
 *       runs them on the caller's thread, one step at a time, for tests; {@link dev.louie.core.ConsumerMain}
 *       starts a consumer from the command line.</li>
 *   <li>Routing (docs/routing.md): {@link dev.louie.core.Louie#exchanges()} gives the {@link dev.louie.core.Exchanges}
 *       ({@link dev.louie.core.Exchange}s of an {@link dev.louie.core.ExchangeType}, {@link dev.louie.core.Binding}s);
 *       {@link dev.louie.core.TaskCall#publish(String, String)} sends one message per matching queue, or fails
 *       with {@link dev.louie.core.UnroutableException}.</li>
 *   <li>Limits (docs/tasks-and-results.md#limits): {@link dev.louie.core.Louie#limits()} gives the
 *       {@link dev.louie.core.Limits}, the rates and concurrency that {@link dev.louie.core.Task#rateLimit()} and
 *       {@link dev.louie.core.Task#concurrency()} declare, changed at runtime.</li>
 *   <li>Inside a task: {@link dev.louie.core.TaskContext}; around tasks: {@link dev.louie.core.Signal}s to a
 *       {@link dev.louie.core.SignalListener}, {@link dev.louie.core.TaskHook}s, {@link dev.louie.core.TaskInterceptor}s
 *       (with {@link dev.louie.core.InterceptedBy} for their annotations), {@link dev.louie.core.TaskLock}s.</li>
 *   <li>Operating the queues: {@link dev.louie.core.Operations} ({@code louie.operations()}) lists
 *       {@link dev.louie.core.QueueSummary}s, {@link dev.louie.core.QueuedTask}s and
 *       {@link dev.louie.core.DeadLetteredTask}s, requeues and deletes, tells a {@link dev.louie.core.TaskState},
 *       and shows each consumer's heartbeat as a {@link dev.louie.core.ConsumerStatus}.</li>
 *   <li>What goes wrong: {@link dev.louie.core.TaskFailedException} with its {@link dev.louie.core.FailureKind},
 *       {@link dev.louie.core.EnqueueException}, {@link dev.louie.core.ResultTimeoutException},
 *       {@link dev.louie.core.TaskDefinitionException}, all {@link dev.louie.core.LouieException}s.</li>
 *   <li>Encoding: {@link dev.louie.core.Serializer}, by default {@link dev.louie.core.JsonSerializer};
 *       {@link dev.louie.core.Message} is what travels.</li>
 * </ul>
 *
 * <h2>The runtime (package-private, one mechanism per file)</h2>
 * <ul>
 *   <li>Registration: {@code TaskRegistry} scans and checks, {@code TaskDefinition} is one task.</li>
 *   <li>Running one message: {@code TaskRunner} (decode, checks, invoke, store / retry / fail),
 *       {@code Execution} (one run and its timeout), {@code Chords} (firing callbacks once),
 *       {@code Revocations} (flags and their counters), {@code Outcome} (what is stored as a result),
 *       {@code LimitGate} (rate and concurrency limits before a start), {@code RateLimit} (a parsed rate).</li>
 *   <li>The consumer's parts: {@code Worker} (the loop and adaptive prefetch), {@code Completer}
 *       (batched result writes), {@code Scheduler} (due messages, periodic tasks, wake-ups),
 *       {@code LeaseKeeper} (held leases and the slots of running tasks), {@code Heartbeat} (the consumer's record in the storage), {@code WorkCounts}, {@code ConsumerConfig} (the sealed settings).</li>
 *   <li>Routing: {@code Router} (a producer's copy of the routing table, kept fresh), {@code TopicPattern}
 *       (AMQP topic matching).</li>
 *   <li>Waiting for results: {@code ResultWaiter}. The command line's logging: {@code ConsumerLogging},
 *       {@code LogbackDefaults}, {@code LouieVersion}.</li>
 * </ul>
 *
 * <p>The storage SPI is in {@link dev.louie.core.storage}.
 */
package dev.louie.core;
