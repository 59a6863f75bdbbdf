package dev.louie.core.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as a {@link Storage} sees it: an id, a priority, an optional eta and an opaque body.
 *
 * <p>The body is the task message encoded by the serializer; storage never looks inside it.
 *
 * @param id       unique message id (also the key of its result)
 * @param priority higher runs first; FIFO among equal priorities
 * @param eta      when the message becomes visible, or {@code null} for now
 * @param body     encoded message
 */
public record Envelope(String id, int priority, Instant eta, byte[] body) {
    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
    }

    /** An envelope visible at once. */
    public static Envelope of(String id, int priority, byte[] body) {
        return new Envelope(id, priority, null, body);
    }

    /** A copy of this envelope with another eta. */
    public Envelope withEta(Instant newEta) {
        return new Envelope(id, priority, newEta, body);
    }

    /** A copy of this envelope with another body. */
    public Envelope withBody(byte[] newBody) {
        return new Envelope(id, priority, eta, newBody);
    }

    @Override
    public String toString() {
        return "Envelope[id=" + id + ", priority=" + priority + ", eta=" + eta + ", body=" + body.length + " bytes]";
    }
}
