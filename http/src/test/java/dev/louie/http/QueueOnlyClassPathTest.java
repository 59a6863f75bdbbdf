package dev.louie.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A queue-only user has neither louie-inference-onnx nor ONNX Runtime on the class path (the
 * dependency is optional), and maybe no jakarta.validation: the server must start and serve tasks
 * there, loading no ONNX or validation type. The test runs the module in a class loader made from
 * the test class path without those jars.
 */
class QueueOnlyClassPathTest {

    @Test
    void serverStartsAndServesWithoutOnnxOnTheClassPath() throws Throwable {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        int dropped = 0;
        for (String entry : cp.split(File.pathSeparator)) {
            if (entry.contains("onnxruntime") || entry.contains("inference-onnx")) {
                dropped++;
            } else if (entry.contains("jakarta.validation") || entry.contains("hibernate-validator")) {
                continue; // optional too: without it constraints are not enforced, and nothing fails
            } else if (!entry.isBlank()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        assertThat(dropped).as("the test class path had ONNX to remove: " + cp).isGreaterThanOrEqualTo(2);
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader); // Jackson finds its modules there
            assertThatThrownBy(() -> loader.loadClass("dev.louie.onnx.BatchedModel")).isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> loader.loadClass("jakarta.validation.Validation")).isInstanceOf(ClassNotFoundException.class);
            Class<?> louieType = loader.loadClass("dev.louie.core.Louie");
            Object builder = louieType.getMethod("builder", String.class).invoke(null, "queue-only");
            Object tasks = loader.loadClass("dev.louie.http.ShopTasks").getConstructor().newInstance();
            builder.getClass().getMethod("register", Object[].class).invoke(builder, (Object) new Object[] {tasks});
            Object louie = builder.getClass().getMethod("build").invoke(builder);
            Class<?> httpType = loader.loadClass("dev.louie.http.LouieHttp");
            Class<?> hbType = loader.loadClass("dev.louie.http.LouieHttp$Builder");
            // method handles resolve one method, as compiled calls do (reflection's getMethod would
            // resolve every signature of the builder, model(String, BatchedModel) included)
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Object hb = lookup.findStatic(httpType, "builder", MethodType.methodType(hbType, louieType)).invoke(louie);
            lookup.findVirtual(hbType, "host", MethodType.methodType(hbType, String.class)).invoke(hb, "127.0.0.1");
            lookup.findVirtual(hbType, "port", MethodType.methodType(hbType, int.class)).invoke(hb, 0);
            lookup.findVirtual(hbType, "tasks", MethodType.methodType(hbType, String[].class)).invoke(hb, new String[] {"add"});
            Object http = lookup.findVirtual(hbType, "start", MethodType.methodType(httpType)).invoke(hb);
            try {
                URI base = (URI) httpType.getMethod("uri").invoke(http);
                HttpClient client = HttpClient.newBuilder().connectTimeout(HttpFixture.TIMEOUT).build();
                HttpResponse<String> posted = client.send(HttpRequest.newBuilder(base.resolve("/api/v1/tasks/add"))
                        .timeout(HttpFixture.TIMEOUT).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("[1,2]")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
                HttpResponse<String> model = client.send(HttpRequest.newBuilder(base.resolve("/api/v1/models/m/predict"))
                        .timeout(HttpFixture.TIMEOUT).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(model.statusCode()).as(model.body()).isEqualTo(404);
                assertThat(model.body()).contains("unknown-model");
            } finally {
                httpType.getMethod("stop", Duration.class).invoke(http, Duration.ZERO);
                louieType.getMethod("close").invoke(louie);
            }
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }
}
