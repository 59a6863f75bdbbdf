package dev.louie.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Louie's version: the {@code version.properties} the build writes beside this class, else the jar
 * manifest's {@code Implementation-Version}, else {@value #UNKNOWN}.
 */
final class LouieVersion {
    static final String UNKNOWN = "unknown (not packaged)";

    private LouieVersion() {
    }

    /** This Louie's version. */
    static String get() {
        Properties built = null;
        try (InputStream in = LouieVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                built = new Properties();
                built.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return of(built, LouieVersion.class.getPackage().getImplementationVersion());
    }

    /** The version from the build's properties (null if absent), else from the manifest (null if absent). */
    static String of(Properties built, String manifestVersion) {
        String v = built == null ? null : built.getProperty("version");
        if (v != null && !v.isBlank() && !v.contains("${")) {
            return v.trim();
        }
        return manifestVersion == null || manifestVersion.isBlank() ? UNKNOWN : manifestVersion;
    }
}
