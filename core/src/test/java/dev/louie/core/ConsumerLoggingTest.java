package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the consumer logs at startup: its configuration, and warnings about sizing. */
class ConsumerLoggingTest extends ConsumerTestBase {
    final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(Consumer.class);

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
        logger.setLevel(null);
    }

    private List<String> lines(Level level) {
        return appender.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void startupLogsTheConfiguration() {
        consumer(louie(), 2);
        assertThat(lines(Level.INFO)).anySatisfy(l -> assertThat(l).contains("starting for test").contains("workers=2")
                .contains("queues=[default, slow]").contains("leaseTime=PT30S"));
        assertThat(lines(Level.WARN)).isEmpty();
    }

    @Test
    void tooManyWorkersAndTooBigModelsAreWarnedAbout() {
        int cores = Runtime.getRuntime().availableProcessors();
        start(louie().consumer().workers(2 * cores + 2).modelSizeHint(Runtime.getRuntime().maxMemory()));
        assertThat(lines(Level.WARN))
                .anySatisfy(l -> assertThat(l).contains("exceed 2 x " + cores + " cores + 1"))
                .anySatisfy(l -> assertThat(l).contains("exceeds the JVM's maximum heap"));
    }
}
