package dev.louie.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /openapi.json} (the document made at start) and {@code GET /docs}: Swagger UI on that
 * document, its scripts and styles served from the {@code org.webjars:swagger-ui} jar on the class
 * path (no CDN). The page refers to its files and the document by relative URLs, so it works
 * behind a proxy that adds a path prefix.
 */
final class ApiDocs {
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> FILES = Map.of(
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui.css", "text/css; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");

    private final byte[] document;
    private final String version;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    ApiDocs(byte[] document) {
        this.document = document;
        this.version = swaggerUiVersion();
    }

    void openApi(Exchange ex, List<String> vars) throws IOException {
        ex.send(200, "application/json", document, "no-cache");
    }

    void page(Exchange ex, List<String> vars) throws IOException {
        requireUi();
        String html = """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>API docs</title>
                  <link rel="stylesheet" href="docs/swagger-ui.css">
                  <link rel="icon" type="image/png" href="docs/favicon-32x32.png" sizes="32x32">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="docs/swagger-ui-bundle.js"></script>
                  <script>
                    window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true });
                  </script>
                </body>
                </html>
                """;
        ex.send(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), "no-cache");
    }

    void file(Exchange ex, List<String> vars) throws IOException {
        requireUi();
        String name = vars.get(0);
        String type = FILES.get(name);
        if (type == null) {
            throw ProblemException.notFound("no-such-path", "no file '" + name + "' under /docs");
        }
        byte[] bytes = cache.computeIfAbsent(name, this::load);
        ex.send(200, type, bytes, "public, max-age=86400");
    }

    private void requireUi() {
        if (version == null) {
            throw ProblemException.notFound("no-docs", "Swagger UI is not on the class path: add org.webjars:swagger-ui;"
                    + " the document itself is at /openapi.json");
        }
    }

    private byte[] load(String name) {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(WEBJAR + version + "/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Swagger UI " + version + " has no " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + " of Swagger UI " + version, e);
        }
    }

    /** The version of the Swagger UI webjar on the class path, or null when there is none. */
    private static String swaggerUiVersion() {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }
}
