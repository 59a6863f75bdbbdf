package dev.louie.core;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Task ids: 32 hex digits, the first 12 the creation time in milliseconds and the other 20 random
 * (80 bits, without SecureRandom's lock). Ids made later sort later, so a storage that indexes
 * them (SQLite's id index, its result keys) appends near the end of its B-trees instead of
 * writing a random page per insert; 80 random bits keep ids made in one millisecond apart.
 */
final class Ids {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {
    }

    static String next() {
        return next(System.currentTimeMillis());
    }

    static String next(long millis) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[32];
        for (int i = 0; i < 12; i++) {
            out[i] = HEX[(int) (millis >>> (44 - 4 * i)) & 0xf];
        }
        long a = r.nextLong();
        long b = r.nextLong();
        for (int i = 0; i < 16; i++) {
            out[12 + i] = HEX[(int) (a >>> (60 - 4 * i)) & 0xf];
        }
        for (int i = 0; i < 4; i++) {
            out[28 + i] = HEX[(int) (b >>> (12 - 4 * i)) & 0xf];
        }
        return new String(out);
    }
}
