package dev.louie.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The smallest backend passes the suite with the 18 primitives alone, and the SPI has no more than 18. */
class MinimalStorageConformanceTest extends StorageConformanceTest {
    @Override
    protected Storage createStorage(Clock clock) {
        return new MinimalStorage(clock);
    }

    @Override
    protected Storage openAnother(Clock clock) {
        return storage; // one JVM's maps: the "other process" is the same store
    }

    @Test
    void theSpiHasEighteenPrimitivesAndTheMinimalBackendImplementsNothingElse() throws Exception {
        long abstractMethods = Arrays.stream(Storage.class.getMethods()).filter(m -> Modifier.isAbstract(m.getModifiers())).count();
        assertThat(abstractMethods).isEqualTo(18);
        for (Method m : Storage.class.getMethods()) {
            if (m.isDefault()) {
                Method impl = MinimalStorage.class.getMethod(m.getName(), m.getParameterTypes());
                assertThat(impl.getDeclaringClass()).as(m.getName() + " keeps its default").isEqualTo(Storage.class);
            }
        }
    }
}
