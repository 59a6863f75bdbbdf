package dev.louie.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate limit as written in {@link Task#rateLimit()} and {@link Limits#rate(String, String)}:
 * {@code N/s}, {@code N/m} or {@code N/h}, at most {@code N} starts per second, minute or hour.
 */
record RateLimit(int permits, Duration period) {
    /** The accepted form, for error messages. */
    static final String FORM = "N/s, N/m or N/h with N a whole number from 1 (\"100/s\", \"20/m\", \"1000/h\")";

    private static final Pattern TEXT = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*([smh])\\s*");

    /**
     * Parses {@code text}; null or blank means no limit (null).
     *
     * @throws IllegalArgumentException naming the accepted form
     */
    static RateLimit parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher m = TEXT.matcher(text);
        int permits = m.matches() ? Integer.parseInt(m.group(1)) : 0;
        if (permits < 1) {
            throw new IllegalArgumentException("a rate limit must be " + FORM + ", not '" + text + "'");
        }
        Duration period = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        return new RateLimit(permits, period);
    }

    /** The emission interval: how far apart starts are under steady demand. */
    Duration interval() {
        return period.dividedBy(permits);
    }

    @Override
    public String toString() {
        return permits + "/" + (period.toHours() == 1 ? "h" : period.toMinutes() == 1 ? "m" : "s");
    }
}
