package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerializerTest {

    @Test
    void messagesRoundTripAndArgumentsDecodeToDeclaredGenericTypes() throws Exception {
        JsonSerializer s = new JsonSerializer();
        Message m = new Message("id1", "sum", List.of(List.of(new SampleTasks.Point(1, 2), new SampleTasks.Point(3, 4))),
                "default", 3, null, 1, 100, 2.0, null, 5L, 0, null, null, null);
        Message back = s.decode(s.encode(m), Message.class);
        assertThat(back.id()).isEqualTo("id1");
        assertThat(back.priority()).isEqualTo(3);
        Object arg = back.args().get(0);
        assertThat(arg).isInstanceOf(List.class);
        var type = SampleTasks.class.getMethod("sumPoints", List.class).getGenericParameterTypes()[0];
        @SuppressWarnings("unchecked")
        List<SampleTasks.Point> points = (List<SampleTasks.Point>) s.convert(arg, type);
        assertThat(points).containsExactly(new SampleTasks.Point(1, 2), new SampleTasks.Point(3, 4));
    }

    @Test
    void compressionAboveTheThresholdIsTransparent() {
        JsonSerializer s = new JsonSerializer(JsonSerializer.defaultMapper(), 64);
        String big = "x".repeat(10_000);
        byte[] encoded = s.encode(Map.of("v", big));
        assertThat(encoded.length).isLessThan(1000);
        assertThat(encoded[0]).isEqualTo((byte) 0x1f);
        assertThat(s.decode(encoded, Map.class)).containsEntry("v", big);
        byte[] small = s.encode(Map.of("v", 1));
        assertThat(small[0]).isEqualTo((byte) '{');
    }

    @Test
    void garbageFailsWithSerializationException() {
        JsonSerializer s = new JsonSerializer();
        assertThatThrownBy(() -> s.decode(new byte[] {1, 2, 3}, Message.class))
                .isInstanceOf(SerializationException.class).hasMessageContaining("cannot decode 3 bytes as Message");
        assertThatThrownBy(() -> s.convert("abc", int.class))
                .isInstanceOf(SerializationException.class).hasMessageContaining("cannot convert");
    }
}
