package dev.louie.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.batching.Batcher;
import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.storage.Lease;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /dashboard} in a real headless Chromium against a running app with known queue contents:
 * the header shows the counts, the dead letter is listed and can be inspected, a requeue click
 * empties the list and the task is pending again; in read-only mode the actions are hidden and the
 * API refuses them with 403. With {@code -Dlouie.dashboard.screenshot=PATH} it also writes a PNG of
 * the page (docs/img/dashboard.png is made so).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DashboardBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aPersonSeesTheQueuesAndRepairsADeadLetter(@TempDir Path tmp) throws Exception {
        Path binary = HeadlessChromium.find();
        Assumptions.assumeTrue(binary != null, "no Chromium on this machine (install the 'chromium' package to run this test)");
        DashboardBatcher panel = new DashboardBatcher();
        try (Louie louie = Louie.builder("shop").register(new ShopTasks()).build();
                Consumer consumer = louie.consumer().workers(2).queues(Louie.DEFAULT_QUEUE).heartbeatInterval(Duration.ofSeconds(1)).start();
                Batcher<Integer, Integer> batcher = Batcher.<Integer, Integer>builder(in -> in).name("embed").listener(panel).build();
                LouieHttp http = LouieHttp.builder(louie).host("127.0.0.1").port(0).dashboard(true)
                        .dashboardBatcher("embed", panel).start();
                LouieHttp readOnly = LouieHttp.builder(louie).host("127.0.0.1").port(0).dashboard(true).dashboardReadOnly(true).start()) {
            // known contents: 3 completed, 2 failed, 1 dead letter and 4 pending on a queue nobody serves
            for (int i = 0; i < 3; i++) {
                assertThat(louie.enqueue("add", i, 1).get(WAIT)).isEqualTo(i + 1);
            }
            List<dev.louie.core.Result<Object>> failing = List.of(louie.enqueue("fail", "bad input"), louie.enqueue("fail", "worse input"));
            await().atMost(WAIT).until(() -> failing.stream().allMatch(r -> louie.operations().state(r.id()) == dev.louie.core.TaskState.FAILED));
            String deadId = louie.enqueue("later", "order-0").id();
            Lease lease = louie.storage().dequeue("nobody", 1, Duration.ofMinutes(5)).get(0);
            assertThat(lease.id()).isEqualTo(deadId);
            assertThat(louie.storage().deadLetter(lease, "poison pill: the payload cannot be decoded")).isTrue();
            for (int i = 0; i < 4; i++) {
                louie.enqueue("later", "order-" + (i + 1));
            }
            List<CompletableFuture<Integer>> batched = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batched.add(batcher.submit(i));
            }
            CompletableFuture.allOf(batched.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            try (HeadlessChromium browser = new HeadlessChromium(binary, tmp.resolve("profile"))) {
                // read-only: the data is there, the actions are not, and the API refuses them
                browser.navigate(readOnly.uri() + "/dashboard");
                await().atMost(WAIT).until(() -> browser.text("document.getElementById('app').textContent").contains("(read-only)")
                        && browser.text("document.querySelector('#dead tbody').textContent").contains("poison pill"));
                assertThat(browser.evaluate("document.querySelectorAll('button.requeue, button.delete, button.revoke').length").asInt())
                        .as("no action buttons in read-only mode").isZero();
                assertThat(browser.evaluate("document.querySelectorAll('#dead button.inspect').length").asInt()).isEqualTo(1);
                HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(readOnly.uri() + "/dashboard/api/dead/nobody/" + deadId + "/requeue"))
                        .POST(HttpRequest.BodyPublishers.noBody()).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(refused.body()).contains("read-only");
                assertThat(louie.operations().deadLetters("nobody", 0, 10)).hasSize(1);

                // the full dashboard: what a person sees in the header
                browser.navigate(http.uri() + "/dashboard");
                await().atMost(WAIT).until(() -> browser.text("document.getElementById('h-completed').textContent").equals("3")
                        && browser.text("document.getElementById('h-consumers').textContent").equals("1"));
                assertThat(browser.text("document.getElementById('h-pending').textContent")).isEqualTo("4");
                assertThat(browser.text("document.getElementById('h-failed').textContent")).isEqualTo("2");
                assertThat(browser.text("document.getElementById('h-dead').textContent")).isEqualTo("1");
                assertThat(browser.text("document.getElementById('h-running').textContent")).isEqualTo("0 / 2");
                assertThat(browser.text("document.getElementById('h-pending-queues').textContent")).contains("nobody 4");
                assertThat(browser.evaluate("document.querySelectorAll('#chart rect').length").asInt()).as("bars in the chart").isPositive();
                assertThat(browser.text("document.querySelector('#tasks tbody').innerText")).contains("add").contains("fail");
                assertThat(browser.text("document.querySelector('#pending tbody').innerText")).contains("later");
                assertThat(browser.text("document.querySelector('#consumers tbody').innerText")).contains("alive");
                assertThat(browser.text("document.querySelector('.batcher[data-name=embed] .figures').textContent"))
                        .contains("requests 20").contains("rejected 0");

                // the dead letter: listed with its reason, its body can be inspected
                String row = "document.querySelector('#dead tbody tr[data-id=\"" + deadId + "\"]')";
                assertThat(browser.text(row + ".innerText")).contains("poison pill").contains("later");
                browser.evaluate(row + ".querySelector('button.inspect').click()");
                await().atMost(WAIT).until(() -> browser.text("document.getElementById('dead-body').textContent").contains("\"later\""));
                String screenshot = System.getProperty("louie.dashboard.screenshot");
                if (screenshot != null && !screenshot.isBlank()) {
                    Files.write(Path.of(screenshot), browser.screenshot());
                }

                // a requeue click empties the list and puts the task back in its queue
                browser.evaluate(row + ".querySelector('button.requeue').click()");
                await().atMost(WAIT).until(() -> browser.text("document.querySelector('#dead tbody').textContent").contains("no dead letters")
                        && browser.text("document.getElementById('h-pending').textContent").equals("5"));
                assertThat(browser.text("document.getElementById('h-dead').textContent")).isEqualTo("0");
                assertThat(louie.operations().deadLetters("nobody", 0, 10)).isEmpty();
                assertThat(louie.operations().state(deadId)).isEqualTo(dev.louie.core.TaskState.PENDING);
            }
            readOnly.stop(Duration.ZERO);
            http.stop(Duration.ZERO);
        }
    }
}
