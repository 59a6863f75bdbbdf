/**
 * Test helpers shipped in core's test-jar for backends and tests of other modules:
 * {@link dev.louie.core.testing.ManualClock} (time that moves only when a test moves it) and
 * {@link dev.louie.core.testing.ForwardingStorage} (a real storage with calls a test overrides to
 * inject a fault between two steps).
 */
package dev.louie.core.testing;
