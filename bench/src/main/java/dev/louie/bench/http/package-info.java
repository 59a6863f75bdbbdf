/**
 * {@code louie-bench http}: {@link dev.louie.bench.http.HttpCommand} starts a {@code LouieHttp} in
 * this process and drives it over real keep-alive HTTP on loopback ({@link
 * dev.louie.bench.http.KeepAliveConnection}, one per closed-loop client, {@link
 * dev.louie.bench.http.ClosedLoop}), then measures the same work in-process in the same run.
 */
package dev.louie.bench.http;
