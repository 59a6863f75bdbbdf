package dev.louie.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.Signal;
import dev.louie.core.TaskEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard's memory: per-minute buckets in a fixed ring, per-task counts and percentiles, bounded. */
class DashboardHistoryTest {
    /** A clock the test moves. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T10:00:30Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final ManualClock clock = new ManualClock();
    private final DashboardHistory history = new DashboardHistory(clock);

    private void signal(Signal s, String id, String task, Duration took) {
        history.onSignal(new TaskEvent(s, id, task, "default", 0, null, took));
    }

    @Test
    void countsCompletedAndFailedPerMinute() {
        signal(Signal.COMPLETE, "a", "resize", Duration.ofMillis(5));
        signal(Signal.COMPLETE, "b", "resize", Duration.ofMillis(5));
        signal(Signal.ERROR, "c", "resize", Duration.ofMillis(5));
        clock.advance(Duration.ofMinutes(1));
        signal(Signal.COMPLETE, "d", "resize", Duration.ofMillis(5));
        signal(Signal.RETRYING, "e", "resize", Duration.ofMillis(5)); // a retry is neither completed nor failed yet

        List<DashboardHistory.Minute> minutes = history.minutes();
        assertThat(minutes).hasSize(60);
        DashboardHistory.Minute last = minutes.get(59);
        DashboardHistory.Minute before = minutes.get(58);
        assertThat(last.start()).isEqualTo(Instant.parse("2026-01-01T10:01:00Z").toEpochMilli());
        assertThat(last.completed()).isEqualTo(1);
        assertThat(last.failed()).isZero();
        assertThat(before.completed()).isEqualTo(2);
        assertThat(before.failed()).isEqualTo(1);
        assertThat(minutes.subList(0, 58)).allMatch(m -> m.completed() == 0 && m.failed() == 0);
    }

    @Test
    void minutesOlderThanAnHourLeaveTheRing() {
        signal(Signal.COMPLETE, "a", "resize", Duration.ofMillis(5));
        clock.advance(Duration.ofMinutes(59));
        assertThat(history.minutes().get(0).completed()).as("59 minutes ago is still shown").isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(history.minutes()).allMatch(m -> m.completed() == 0);
        // the same slot of the ring is reused for the new minute, starting from zero
        signal(Signal.ERROR, "b", "resize", Duration.ofMillis(5));
        assertThat(history.minutes().get(59).completed()).isZero();
        assertThat(history.minutes().get(59).failed()).isEqualTo(1);
    }

    @Test
    void perTaskRunsFailuresRetriesAndPercentiles() {
        for (int i = 1; i <= 100; i++) {
            signal(Signal.ENQUEUED, "t" + i, "embed", null);
            history.onSignal(new TaskEvent(Signal.EXECUTING, "t" + i, "embed", "default", 0, null, null, Duration.ofMillis(i)));
            signal(Signal.COMPLETE, "t" + i, "embed", Duration.ofMillis(i));
        }
        signal(Signal.RETRYING, "x", "embed", Duration.ofMillis(1));
        signal(Signal.ERROR, "x", "embed", Duration.ofMillis(1));
        signal(Signal.COMPLETE, "y", "other", null);

        List<DashboardHistory.TaskRow> rows = history.tasks();
        assertThat(rows).extracting(DashboardHistory.TaskRow::task).containsExactly("embed", "other");
        DashboardHistory.TaskRow embed = rows.get(0);
        assertThat(embed.runs()).isEqualTo(102);
        assertThat(embed.failures()).isEqualTo(1);
        assertThat(embed.retries()).isEqualTo(1);
        assertThat(embed.p50Wait()).isEqualTo(50.0);
        assertThat(embed.p95Wait()).isEqualTo(95.0);
        assertThat(embed.p95Duration()).isEqualTo(95.0); // nearest rank 97 of 102 samples: 1, 1, 1, 2, …, 100
        DashboardHistory.TaskRow other = rows.get(1);
        assertThat(other.p50Duration()).as("nothing measured").isNull();
        assertThat(other.p50Wait()).isNull();
    }

    @Test
    void memoryIsBoundedWhateverTheTraffic() {
        for (int i = 0; i < DashboardHistory.MAX_TASKS + 50; i++) {
            signal(Signal.COMPLETE, "c" + i, "task-" + i, Duration.ofMillis(1));
        }
        assertThat(history.tasks()).hasSize(DashboardHistory.MAX_TASKS);

        DashboardHistory.Window window = new DashboardHistory.Window();
        for (int i = 0; i < DashboardHistory.SAMPLES * 3; i++) {
            window.add(i < DashboardHistory.SAMPLES * 2 ? 1_000_000 : 1);
        }
        assertThat(window.percentile(99)).as("only the last samples count").isEqualTo(1L);
    }
}
