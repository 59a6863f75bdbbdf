package dev.louie.bench.api;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Reads {@code 500ms}, {@code 60s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT1M}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                return Duration.parse(value.trim());
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            switch (v.charAt(v.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 'h':
                    return Duration.ofHours(n);
                default:
                    break;
            }
        } catch (RuntimeException e) {
            // falls through to the message below
        }
        throw new CommandLine.TypeConversionException("a duration must be such as 500ms, 60s, 2m or PT1M, not '" + value + "'");
    }
}
