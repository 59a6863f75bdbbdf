package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rate limit of {@link DeadLetterLog}, on the test thread with a hand-moved clock. */
class DeadLetterLogTest {
    private final Logger logger = new LoggerContext().getLogger("test");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final AtomicLong nanos = new AtomicLong();
    private final DeadLetterLog deadLetters = new DeadLetterLog(logger, Duration.ofSeconds(10), nanos::get);

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    private List<String> lines(Level level) {
        return appender.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void oneLinePerQueueAndPeriodWithTheCountHeldBack() {
        deadLetters.malformed("q", 2, "malformed queue entry: not written by RedisStorage");
        assertThat(lines(Level.ERROR)).containsExactly("queue q: moved 2 malformed entries to the dead-letter list"
                + " (the first: malformed queue entry: not written by RedisStorage); they are in deadLetters(\"q\")");

        advance(Duration.ofSeconds(5));
        deadLetters.malformed("q", 1, "malformed queue entry: no message body stored for id x");
        deadLetters.malformed("q", 4, "other");
        deadLetters.malformed("other", 1, "malformed queue entry: the queue key held a Redis list, not a RedisStorage queue");
        assertThat(lines(Level.ERROR)).as("q is quiet for 10 s; another queue is not").hasSize(2);
        assertThat(lines(Level.ERROR).get(1)).startsWith("queue other: moved 1 malformed entry to the dead-letter list (malformed");

        advance(Duration.ofSeconds(5));
        deadLetters.malformed("q", 1, "later");
        assertThat(lines(Level.ERROR)).hasSize(3);
        assertThat(lines(Level.ERROR).get(2)).isEqualTo("queue q: moved 6 malformed entries to the dead-letter list"
                + " (the first: malformed queue entry: no message body stored for id x); they are in deadLetters(\"q\")");
    }

    @Test
    void flushSaysWhatWasHeldBackOnce() {
        deadLetters.malformed("q", 1, "malformed queue entry: not written by RedisStorage");
        deadLetters.malformed("q", 3, "malformed queue entry: no message body stored for id y");
        assertThat(lines(Level.ERROR)).hasSize(1);
        deadLetters.flush();
        assertThat(lines(Level.ERROR)).hasSize(2);
        assertThat(lines(Level.ERROR).get(1)).isEqualTo("queue q: moved 3 malformed entries to the dead-letter list"
                + " (the first: malformed queue entry: no message body stored for id y); they are in deadLetters(\"q\")");
        deadLetters.flush();
        assertThat(lines(Level.ERROR)).as("nothing more held back").hasSize(2);
        assertThat(appender.list).as("nothing below ERROR").allMatch(e -> e.getLevel() == Level.ERROR);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(nanos.get())).isZero();
    }
}
