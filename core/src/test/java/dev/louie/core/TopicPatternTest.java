package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AMQP topic matching: the specification's and the RabbitMQ tutorial's examples, and the edge cases. */
class TopicPatternTest {

    @ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        // AMQP 0-9-1, 3.1.3.3: "*.stock.#" matches "usd.stock" and "eur.stock.db" but not "stock.nasdaq"
        "*.stock.#       | usd.stock               | true",
        "*.stock.#       | eur.stock.db            | true",
        "*.stock.#       | stock.nasdaq            | false",
        // RabbitMQ tutorial 5 (Q1: *.orange.*, Q2: *.*.rabbit and lazy.#)
        "*.orange.*      | quick.orange.rabbit     | true",
        "*.*.rabbit      | quick.orange.rabbit     | true",
        "*.orange.*      | lazy.orange.elephant    | true",
        "lazy.#          | lazy.orange.elephant    | true",
        "*.orange.*      | quick.orange.fox        | true",
        "*.*.rabbit      | quick.orange.fox        | false",
        "lazy.#          | lazy.brown.fox          | true",
        "*.*.rabbit      | lazy.pink.rabbit        | true",
        "*.orange.*      | quick.brown.fox         | false",
        "lazy.#          | quick.brown.fox         | false",
        "*.orange.*      | orange                  | false",
        "*.orange.*      | quick.orange.new.rabbit | false",
        "*.*.rabbit      | quick.orange.new.rabbit | false",
        "lazy.#          | lazy.orange.new.rabbit  | true",
        "*.orange.*      | lazy.orange.new.rabbit  | false",
        // # alone matches every key, the empty one too
        "#               | a                       | true",
        "#               | a.b.c                   | true",
        "#               |                         | true",
        "#               | ..                      | true",
        // a.#.b: # may stand for no word
        "a.#.b           | a.b                     | true",
        "a.#.b           | a.x.b                   | true",
        "a.#.b           | a.x.y.b                 | true",
        "a.#.b           | a.b.c                   | false",
        "a.#.b           | b.a.b                   | false",
        "a.#.b           | a                       | false",
        "#.b.#           | b                       | true",
        "#.b.#           | a.b.c                   | true",
        "#.#             | a                       | true",
        "a.#.#.b         | a.b                     | true",
        "#.a.#.a         | x.a.y.a                 | true",
        "#.a.#.a         | x.a.y.b                 | false",
        // * is exactly one word
        "*               | a                       | true",
        "*               |                         | false",
        "*               | a.b                     | false",
        "*.*             | a.b                     | true",
        "a.*             | a                       | false",
        // keys without dots, the empty key
        "abc             | abc                     | true",
        "abc             | abcd                    | false",
        "                |                         | true",
        "                | a                       | false",
        "a               |                         | false",
        // empty words are words
        "a..b            | a..b                    | true",
        "a..b            | a.b                     | false",
        "a.*.b           | a..b                    | true",
        "*.a             | .a                      | true",
        "a.*             | a.                      | true",
        "#               | .                       | true",
        // literal words are compared exactly
        "model.gpu       | model.GPU               | false",
    })
    void matchesAsAmqpDefines(String pattern, String key, boolean expected) {
        assertThat(TopicPattern.matches(orEmpty(pattern), orEmpty(key))).isEqualTo(expected);
    }

    /** The matcher agrees with a plain recursive reading of the rules on many random patterns and keys. */
    @org.junit.jupiter.api.Test
    void agreesWithTheRulesReadLiterallyOnRandomCases() {
        java.util.Random random = new java.util.Random(42);
        String[] patternWords = {"a", "b", "", "*", "#"};
        String[] keyWords = {"a", "b", ""};
        int matched = 0;
        for (int n = 0; n < 20_000; n++) {
            String[] p = new String[random.nextInt(6)];
            for (int i = 0; i < p.length; i++) {
                p[i] = patternWords[random.nextInt(patternWords.length)];
            }
            String[] k = new String[random.nextInt(7)];
            for (int i = 0; i < k.length; i++) {
                k[i] = keyWords[random.nextInt(keyWords.length)];
            }
            boolean expected = literally(p, 0, k, 0);
            assertThat(TopicPattern.matches(p, k)).as(String.join(".", p) + " ~ " + String.join(".", k)).isEqualTo(expected);
            matched += expected ? 1 : 0;
        }
        assertThat(matched).as("both outcomes occur").isBetween(1000, 19_000);
    }

    /** '*' one word, '#' zero or more, anything else itself: straight from the definition. */
    private static boolean literally(String[] p, int i, String[] k, int j) {
        if (i == p.length) {
            return j == k.length;
        }
        if (p[i].equals("#")) {
            return literally(p, i + 1, k, j) || (j < k.length && literally(p, i, k, j + 1));
        }
        return j < k.length && (p[i].equals("*") || p[i].equals(k[j])) && literally(p, i + 1, k, j + 1);
    }

    /** An empty cell of the tables above is the empty string. */
    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', emptyValue = "", value = {"a*.b", "#a", "a.b#", "**", "a.##.b", "a.*x"})
    void wildcardsInsideWordsAreRefused(String pattern) {
        assertThat(TopicPattern.problem(pattern)).contains("not '" + pattern + "'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', emptyValue = "", value = {"#", "*", "a.*.b", "a.#", "''", "a..b", "model.resnet-50.gpu"})
    void wholeWordWildcardsAreAccepted(String pattern) {
        assertThat(TopicPattern.problem(pattern)).isNull();
    }
}
