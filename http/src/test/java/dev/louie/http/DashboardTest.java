package dev.louie.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.louie.core.Louie;
import dev.louie.core.TaskState;
import dev.louie.core.storage.Lease;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's JSON and actions over real HTTP on loopback, behind the API's authenticator. */
class DashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String ADMIN = "admin-key-0123456789";
    private static final String VIEWER = "viewer-key-0123456789";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private Louie louie;
    private LouieHttp http;
    private String deadId;

    @BeforeEach
    void start() {
        louie = Louie.builder("dash-test").register(new ShopTasks()).build();
        http = LouieHttp.builder(louie).host("127.0.0.1").port(0).dashboard(true)
                .authenticator(ApiKeys.of(Map.of(ADMIN, Scope.ALL, VIEWER, Scope.READ))).start();
        deadId = louie.enqueue("later", "first").id();
        Lease lease = louie.storage().dequeue("nobody", 1, Duration.ofMinutes(5)).get(0);
        louie.storage().deadLetter(lease, "poison pill");
        louie.enqueue("later", "second");
        louie.enqueue("later", "third");
    }

    @AfterEach
    void stop() {
        http.stop(Duration.ZERO);
        louie.close();
    }

    private HttpResponse<String> call(String method, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.uri() + path)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageIsOpenTheDataNeedsAKey() throws Exception {
        HttpResponse<String> page = call("GET", "/dashboard", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("dashboard/dashboard.js").doesNotContain("http://").doesNotContain("https://");
        assertThat(call("GET", "/dashboard/dashboard.js", null).body()).contains("dashboard/api/state");
        assertThat(call("GET", "/dashboard/nothing.js", null).statusCode()).isEqualTo(404);

        HttpResponse<String> anonymous = call("GET", "/dashboard/api/state", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> state = call("GET", "/dashboard/api/state", VIEWER);
        assertThat(state.statusCode()).isEqualTo(200);
        JsonNode s = JSON.readTree(state.body());
        assertThat(s.path("app").asText()).isEqualTo("dash-test");
        assertThat(s.path("header").path("pending").asLong()).isEqualTo(2);
        assertThat(s.path("header").path("dead").asLong()).isEqualTo(1);
        assertThat(s.path("header").path("consumersAlive").asLong()).isZero();
        assertThat(s.path("header").path("oldestPendingAgeMs").isNumber()).isTrue();
        assertThat(s.path("minutes")).hasSize(60);
        assertThat(s.path("deadLetters").get(0).path("id").asText()).isEqualTo(deadId);
        assertThat(s.path("deadLetters").get(0).path("reason").asText()).isEqualTo("poison pill");
        assertThat(s.path("pending")).hasSize(2);
    }

    @Test
    void aReadKeyMayInspectButNotAct() throws Exception {
        HttpResponse<String> body = call("GET", "/dashboard/api/dead/nobody/" + deadId, VIEWER);
        assertThat(body.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(body.body()).path("body").asText()).contains("\"first\"");
        HttpResponse<String> refused = call("POST", "/dashboard/api/dead/nobody/" + deadId + "/requeue", VIEWER);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(louie.operations().deadLetters("nobody", 0, 10)).hasSize(1);
    }

    @Test
    void actionsRequeueDeleteAndRevoke() throws Exception {
        assertThat(call("POST", "/dashboard/api/dead/nobody/" + deadId + "/requeue", ADMIN).statusCode()).isEqualTo(204);
        assertThat(louie.operations().state(deadId)).isEqualTo(TaskState.PENDING);
        HttpResponse<String> again = call("POST", "/dashboard/api/dead/nobody/" + deadId + "/requeue", ADMIN);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).contains("no dead letter '" + deadId + "'");

        String pendingId = louie.operations().pending("nobody", 0, 1).get(0).id();
        assertThat(call("POST", "/dashboard/api/tasks/" + pendingId + "/revoke", ADMIN).statusCode()).isEqualTo(204);
        assertThat(louie.operations().state(pendingId)).isEqualTo(TaskState.REVOKED);

        Lease lease = louie.storage().dequeue("nobody", 1, Duration.ofMinutes(5)).get(0);
        louie.storage().deadLetter(lease, "again");
        assertThat(call("DELETE", "/dashboard/api/dead/nobody/" + lease.id(), ADMIN).statusCode()).isEqualTo(204);
        assertThat(louie.operations().deadLetters("nobody", 0, 10)).isEmpty();
    }

    @Test
    void readOnlyRefusesActionsWith403() throws Exception {
        try (LouieHttp readOnly = LouieHttp.builder(louie).host("127.0.0.1").port(0).dashboard(true).dashboardReadOnly(true).start()) {
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(readOnly.uri() + "/dashboard/api/dead/nobody/" + deadId))
                    .DELETE().timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("read-only");
            JsonNode s = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(readOnly.uri() + "/dashboard/api/state"))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(s.path("readOnly").asBoolean()).isTrue();
            readOnly.stop(Duration.ZERO);
        }
        assertThat(louie.operations().deadLetters("nobody", 0, 10)).hasSize(1);
    }

    @Test
    void onlyLoopbackClientsUnlessOpened() throws Exception {
        java.net.InetAddress lan = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(lan != null, "this machine has no non-loopback IPv4 address to call from");
        for (boolean remote : new boolean[] {false, true}) {
            try (LouieHttp onLan = LouieHttp.builder(louie).host(lan.getHostAddress()).port(0).dashboard(true).dashboardRemote(remote).start()) {
                // the client connects to the LAN address, so the server sees it come from there, not from loopback
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://" + lan.getHostAddress() + ":" + onLan.port() + "/dashboard/api/state"))
                        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
                if (remote) {
                    assertThat(r.statusCode()).isEqualTo(200);
                } else {
                    assertThat(r.statusCode()).isEqualTo(403);
                    assertThat(r.body()).contains("loopback clients only").contains("dashboardRemote(true)");
                }
                onLan.stop(Duration.ZERO);
            }
        }
    }

    @Test
    void withoutTheOptionThereIsNoDashboard() throws Exception {
        try (LouieHttp plain = LouieHttp.builder(louie).host("127.0.0.1").port(0).start()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(plain.uri() + "/dashboard")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            plain.stop(Duration.ZERO);
        }
    }

    @Test
    void dashboardOptionsWithoutTheDashboardAreRefused() {
        assertThatThrownBy(() -> LouieHttp.builder(louie).port(0).dashboardReadOnly(true).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dashboard must be true when dashboardReadOnly, dashboardRemote or dashboardBatcher is set, not false");
        assertThatThrownBy(() -> LouieHttp.builder(louie).port(0).dashboard(true).dashboardBatcher("has space", new DashboardBatcher()).start())
                .hasMessageContaining("dashboardBatcher name must be 1 to 64 of A-Za-z0-9._-, not 'has space'");
        try (Louie opaque = Louie.builder("opaque").storage(new SwitchableStorage()).build()) {
            assertThatThrownBy(() -> LouieHttp.builder(opaque).port(0).dashboard(true).start())
                    .hasMessageContaining("dashboard needs a storage that implements StorageInspection")
                    .hasMessageContaining("SwitchableStorage");
        }
    }
}
