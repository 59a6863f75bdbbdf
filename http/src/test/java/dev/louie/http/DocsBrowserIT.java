package dev.louie.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.Louie;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /docs} in a real headless Chromium: Swagger UI loads from the server alone (the
 * machine reaches no CDN) and renders an operation for every exposed task.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DocsBrowserIT {

    @Test
    void swaggerUiRendersEveryTask(@TempDir Path tmp) throws Exception {
        Path chromium = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").stream()
                .map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(chromium != null, "no Chromium on this machine");
        try (Louie louie = Louie.builder("docs-app").register(new ShopTasks(), new CatalogTasks()).build();
                LouieHttp http = LouieHttp.builder(louie).host("127.0.0.1").port(0).tasks("add", "order", "catalog").start()) {
            Path out = tmp.resolve("dom.html");
            Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + tmp.resolve("profile"),
                    "--virtual-time-budget=20000", "--dump-dom", http.uri() + "/docs")
                    .redirectOutput(out.toFile()).redirectError(new File(tmp.toFile(), "chromium.log")).start();
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
            String dom = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(dom).as("Swagger UI rendered the document").contains("opblock");
            for (String task : List.of("add", "order", "catalog")) {
                assertThat(dom).contains("/api/v1/tasks/" + task);
            }
            assertThat(dom).contains("/api/v1/results/{id}").contains("/health/ready");
            http.stop(Duration.ZERO);
        }
    }
}
