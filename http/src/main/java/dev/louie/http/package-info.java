/**
 * Louie's tasks and batched models as an HTTP API on the JDK's HTTP server: {@link
 * dev.louie.http.LouieHttp} (its builder and lifecycle), the {@link dev.louie.http.Authenticator}
 * SPI with what it sees of a request ({@link dev.louie.http.RequestHead}) and who it finds ({@link
 * dev.louie.http.Caller}, {@link dev.louie.http.Scope}), the built-in {@link
 * dev.louie.http.ApiKeys}, and {@link dev.louie.http.DashboardBatcher} (a batcher's panel on the
 * dashboard). Everything else (routing, decoding, tensors as JSON, validation, problems, health,
 * the OpenAPI document and Swagger UI, the dashboard's endpoints and history) is package-private;
 * no type of the server leaks. ONNX types are loaded only when models are served, jakarta.validation types only when a
 * provider is on the class path. See docs/http.md and docs/monitoring.md.
 */
package dev.louie.http;
