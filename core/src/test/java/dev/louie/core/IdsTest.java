package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void idsAre32LowercaseHexDigits() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(Ids.next()).matches("[0-9a-f]{32}");
        }
    }

    @Test
    void idsMadeLaterSortLater() {
        List<String> ids = new ArrayList<>();
        for (long ms = 1_700_000_000_000L; ms < 1_700_000_000_000L + 5_000; ms += 7) {
            ids.add(Ids.next(ms));
        }
        assertThat(ids).isSorted();
        // the time prefix is the millisecond count in hex
        assertThat(Ids.next(0x18bcfe56800L)).startsWith("018bcfe56800");
    }

    @Test
    void idsMadeInTheSameMillisecondDiffer() {
        HashSet<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(Ids.next(1_700_000_000_000L))).isTrue();
        }
    }

    @Test
    void theLastTwelveDigitsAreRandomEnoughForConsumerIds() {
        // two consumers started in the same millisecond still get different ids
        HashSet<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            seen.add(Ids.next(1_700_000_000_000L).substring(20));
        }
        assertThat(seen).hasSize(1_000);
    }
}
