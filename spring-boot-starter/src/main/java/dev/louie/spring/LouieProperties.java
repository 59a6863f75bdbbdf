package dev.louie.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code louie.*} properties. Spring Boot binds them at startup and checks them with
 * {@link #validate}: an invalid value stops the application with the property's name, its value
 * and where it was set.
 */
@ConfigurationProperties(prefix = "louie")
public class LouieProperties implements Validator {

    /** Application name: namespaces the storage, so that applications sharing one keep apart. Default: spring.application.name, else "louie". */
    private String name;

    /** Where messages and results live: sqlite:PATH (a file, created when missing), redis://HOST[:PORT][/DB], rediss://… or redis-cluster://H1:P1,H2:P2 (needs louie-queue-redis), or memory: (lost at exit). */
    private String storage = "sqlite:./louie.db";

    /** The consumer that runs tasks in this application. */
    private final Consumer consumer = new Consumer();

    /** Louie's HTTP API (with louie-http on the classpath). */
    private final Http http = new Http();

    /** The application name, or null for spring.application.name. */
    public String getName() {
        return name;
    }

    /** Sets the application name. */
    public void setName(String name) {
        this.name = name;
    }

    /** The storage URI. */
    public String getStorage() {
        return storage;
    }

    /** Sets the storage URI. */
    public void setStorage(String storage) {
        this.storage = storage;
    }

    /** The consumer's properties. */
    public Consumer getConsumer() {
        return consumer;
    }

    /** The HTTP API's properties. */
    public Http getHttp() {
        return http;
    }

    /** Properties under {@code louie.http}: Louie's own HTTP server (louie-http), beside the application's web server. */
    public static class Http {
        /** Whether Louie's HTTP API runs when louie-http is on the classpath. */
        private boolean enabled = true;

        /** Address it listens on. */
        private String host = "0.0.0.0";

        /** Port it listens on (0: a free one); not the port of the application's own web server. */
        private int port = 8081;

        /** Tasks that can be submitted over HTTP, by name (POST /api/v1/tasks/{name}). Default: none; results and health are served always. */
        private List<String> tasks = new ArrayList<>();

        /** An API key that callers send as X-API-Key or Authorization: Bearer; unset leaves the API open. An Authenticator bean replaces it. */
        private String apiKey;

        /** How long requests in flight may take to finish when the application stops. */
        private Duration stopGrace = Duration.ofSeconds(10);

        /** Whether the HTTP API runs. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether the HTTP API runs. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** The address listened on. */
        public String getHost() {
            return host;
        }

        /** Sets the address listened on. */
        public void setHost(String host) {
            this.host = host;
        }

        /** The port listened on. */
        public int getPort() {
            return port;
        }

        /** Sets the port listened on. */
        public void setPort(int port) {
            this.port = port;
        }

        /** The tasks exposed. */
        public List<String> getTasks() {
            return tasks;
        }

        /** Sets the tasks exposed. */
        public void setTasks(List<String> tasks) {
            this.tasks = tasks == null ? new ArrayList<>() : tasks;
        }

        /** The API key, or null. */
        public String getApiKey() {
            return apiKey;
        }

        /** Sets the API key. */
        public void setApiKey(String apiKey) {
            this.apiKey = apiKey;
        }

        /** The grace period for requests in flight at stop. */
        public Duration getStopGrace() {
            return stopGrace;
        }

        /** Sets the grace period for requests in flight at stop. */
        public void setStopGrace(Duration stopGrace) {
            this.stopGrace = stopGrace;
        }
    }

    /** Properties under {@code louie.consumer}. */
    public static class Consumer {
        /** Whether this application runs a consumer; false makes it a producer only (it submits tasks and reads results). */
        private boolean enabled = true;

        /** Worker threads, at least 1. Default: the number of cores. */
        private Integer workers;

        /** Queues served, in order of preference. Default: "default" and every queue a registered task names. */
        private List<String> queues = new ArrayList<>();

        /** Whether this consumer enqueues @PeriodicTask methods on their schedule. */
        private boolean periodic = true;

        /** How long running tasks may take to finish when the application stops; after it they are interrupted and their messages return to the queue. */
        private Duration gracePeriod = Duration.ofSeconds(30);

        /** Whether the consumer runs. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether the consumer runs. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** Worker threads, or null for the number of cores. */
        public Integer getWorkers() {
            return workers;
        }

        /** Sets the number of worker threads. */
        public void setWorkers(Integer workers) {
            this.workers = workers;
        }

        /** The queues served; empty for the default. */
        public List<String> getQueues() {
            return queues;
        }

        /** Sets the queues served. */
        public void setQueues(List<String> queues) {
            this.queues = queues == null ? new ArrayList<>() : queues;
        }

        /** Whether periodic tasks are enqueued. */
        public boolean isPeriodic() {
            return periodic;
        }

        /** Sets whether periodic tasks are enqueued. */
        public void setPeriodic(boolean periodic) {
            this.periodic = periodic;
        }

        /** The grace period at stop. */
        public Duration getGracePeriod() {
            return gracePeriod;
        }

        /** Sets the grace period at stop. */
        public void setGracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }
    }

    /** Validates only this type: Spring Boot calls {@link #validate} after binding. */
    @Override
    public boolean supports(Class<?> type) {
        return LouieProperties.class.isAssignableFrom(type);
    }

    /** Rejects each invalid property with "louie.&lt;name&gt; must be &lt;rule&gt;, not &lt;value&gt;" as its message. */
    @Override
    public void validate(Object target, Errors errors) {
        LouieProperties p = (LouieProperties) target;
        if (p.name != null && p.name.isBlank()) {
            errors.rejectValue("name", "blank", "louie.name must not be blank, not '" + p.name + "'");
        }
        String storageProblem = StorageUri.problem(p.storage);
        if (storageProblem != null) {
            errors.rejectValue("storage", "invalid", storageProblem);
        }
        Consumer c = p.consumer;
        if (c.workers != null && c.workers < 1) {
            errors.rejectValue("consumer.workers", "min", "louie.consumer.workers must be at least 1, not " + c.workers);
        }
        for (String queue : c.queues) {
            if (queue == null || queue.isBlank()) {
                errors.rejectValue("consumer.queues", "blank", "louie.consumer.queues must be names that are not blank, not " + c.queues);
                break;
            }
        }
        if (c.gracePeriod == null || c.gracePeriod.isNegative()) {
            errors.rejectValue("consumer.gracePeriod", "negative", "louie.consumer.grace-period must be zero or positive, not " + c.gracePeriod);
        }
        Http h = p.http;
        if (h.port < 0 || h.port > 65535) {
            errors.rejectValue("http.port", "range", "louie.http.port must be 0 to 65535, not " + h.port);
        }
        if (h.host == null || h.host.isBlank()) {
            errors.rejectValue("http.host", "blank", "louie.http.host must not be blank, not '" + h.host + "'");
        }
        if (h.apiKey != null && (h.apiKey.isEmpty() || h.apiKey.chars().anyMatch(Character::isWhitespace))) {
            errors.rejectValue("http.apiKey", "invalid", "louie.http.api-key must be non-empty and without whitespace");
        }
        if (h.stopGrace == null || h.stopGrace.isNegative()) {
            errors.rejectValue("http.stopGrace", "negative", "louie.http.stop-grace must be zero or positive, not " + h.stopGrace);
        }
    }
}
