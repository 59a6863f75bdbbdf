/**
 * The four kinds of tests of a model API, as a library for a service's own tests.
 *
 * <ul>
 *   <li><b>Functional</b>: {@link dev.louie.testing.LouieExtension} gives a test a Louie in memory
 *       whose tasks it runs step by step on the test thread; {@link dev.louie.testing.LouieHttpExtension}
 *       starts a {@code LouieHttp} on a free port with a {@link dev.louie.testing.LouieClient}.</li>
 *   <li><b>Statistical</b>: {@link dev.louie.testing.DistributionCheck} (chi-square, population
 *       stability index, Jensen–Shannon distance, Kolmogorov–Smirnov).</li>
 *   <li><b>Error handling</b>: {@link dev.louie.testing.ApiFuzzer} sends malformed requests
 *       derived from a service's OpenAPI document and checks each gets a 4xx problem.</li>
 *   <li><b>Load</b>: {@link dev.louie.testing.LoadTest}, open or closed loop, latency from each
 *       request's intended send time, in HdrHistogram.</li>
 * </ul>
 */
package dev.louie.testing;
