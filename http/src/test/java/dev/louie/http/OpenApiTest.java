package dev.louie.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.louie.core.Louie;
import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.OnnxModel;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.lang.reflect.Parameter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /openapi.json} parses as OpenAPI 3.1 without messages (swagger-parser) and describes
 * every exposed task's parameters by name and type, its return type, and the models' tensors;
 * {@code GET /docs} serves Swagger UI from the jar.
 */
class OpenApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> TASKS = List.of("catalog", "tree", "touch", "add", "order");
    static Louie louie;
    static OnnxModel onnx;
    static BatchedModel linear;
    static LouieHttp http;
    static HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        louie = Louie.builder("catalog-app").register(new CatalogTasks(), new ShopTasks()).build();
        onnx = OnnxModel.load(TestModels.linear());
        linear = BatchedModel.builder(onnx).build();
        http = LouieHttp.builder(louie).host("127.0.0.1").port(0).tasks(TASKS.toArray(String[]::new)).model("linear", linear)
                .authenticator(ApiKeys.of("a-key-for-the-openapi-test")).start();
    }

    @AfterAll
    static void stop() {
        http.stop(Duration.ZERO);
        linear.close();
        onnx.close();
        louie.close();
    }

    static HttpResponse<String> get(LouieHttp server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(HttpFixture.TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static SwaggerParseResult parse(String body) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(body, null, options);
    }

    @Test
    void documentIsValidOpenApi31() throws Exception {
        HttpResponse<String> r = get(http, "/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        SwaggerParseResult result = parse(r.body());
        assertThat(result.getMessages()).as("swagger-parser messages").isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getSpecVersion()).isEqualTo(SpecVersion.V31);
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getPaths()).containsKeys("/api/v1/results/{id}", "/health/live", "/health/ready", "/api/v1/models/linear/predict");
        assertThat(api.getComponents().getSecuritySchemes()).containsKeys("bearer", "apiKey");
    }

    @Test
    @SuppressWarnings("rawtypes")
    void everyExposedTaskIsDescribedWithItsParametersByName() throws Exception {
        OpenAPI api = parse(get(http, "/openapi.json").body()).getOpenAPI();
        for (String task : TASKS) {
            var post = api.getPaths().get("/api/v1/tasks/" + task).getPost();
            assertThat(post).as(task).isNotNull();
            List<String> names = Arrays.stream(louie.task(task).orElseThrow().method().getParameters()).map(Parameter::getName).toList();
            if (names.isEmpty()) {
                assertThat(post.getRequestBody()).as(task + " takes no body").isNull();
                continue;
            }
            Schema body = post.getRequestBody().getContent().get("application/json").getSchema();
            Schema byName = (Schema) body.getOneOf().get(0);
            assertThat(byName.getProperties().keySet()).as(task).containsExactlyInAnyOrderElementsOf(names);
            assertThat(byName.getRequired()).as(task).containsExactlyInAnyOrderElementsOf(names);
            Schema byPosition = (Schema) body.getOneOf().get(1);
            assertThat(byPosition.getPrefixItems()).as(task).hasSize(names.size());
            assertThat(post.getResponses()).as(task).containsKeys("200", "202", "400", "503");
        }
    }

    @Test
    void typesAreDescribedAsJsonSchemas() throws Exception {
        JsonNode doc = JSON.readTree(get(http, "/openapi.json").body());
        JsonNode catalog = doc.at("/paths/~1api~1v1~1tasks~1catalog/post/requestBody/content/application~1json/schema/oneOf/0/properties");
        assertThat(catalog.at("/items/type").asText()).isEqualTo("array");
        assertThat(catalog.at("/items/items/$ref").asText()).isEqualTo("#/components/schemas/Item");
        assertThat(catalog.at("/limit/format").asText()).isEqualTo("int32");
        assertThat(catalog.at("/size/$ref").asText()).isEqualTo("#/components/schemas/Size");
        assertThat(catalog.at("/factor/type").asText()).isEqualTo("number");
        assertThat(catalog.at("/ids/items/format").asText()).isEqualTo("int64");
        assertThat(catalog.at("/labels/uniqueItems").asBoolean()).isTrue();

        JsonNode schemas = doc.at("/components/schemas");
        assertThat(schemas.at("/Size/enum").toString()).isEqualTo("[\"SMALL\",\"LARGE\"]");
        JsonNode item = schemas.at("/Item/properties");
        assertThat(item.at("/qty/format").asText()).isEqualTo("int32");
        assertThat(item.at("/attributes/additionalProperties/format").asText()).isEqualTo("double");
        assertThat(item.at("/added/format").asText()).isEqualTo("date-time");
        assertThat(schemas.at("/Item/required").toString()).isEqualTo("[\"qty\"]");
        assertThat(schemas.at("/Category/properties/children/items/$ref").asText()).isEqualTo("#/components/schemas/Category");

        JsonNode result = doc.at("/paths/~1api~1v1~1tasks~1catalog/post/responses/200/content/application~1json/schema/properties/result");
        assertThat(result.at("/additionalProperties/$ref").asText()).isEqualTo("#/components/schemas/Item");
        JsonNode order = doc.at("/paths/~1api~1v1~1tasks~1order/post/requestBody/content/application~1json/schema/oneOf/0/properties/order/$ref");
        assertThat(order.asText()).isEqualTo("#/components/schemas/Order");
    }

    /** Core's serializer refuses Optional parameters, but a type a user's record exposes may hold one: the schema is the value or null. */
    @Test
    void optionalIsTheValueOrNull() {
        var components = JSON.createObjectNode();
        JsonSchemas schemas = new JsonSchemas(JSON, components);
        JsonNode s = schemas.of(JSON.getTypeFactory().constructType(new com.fasterxml.jackson.core.type.TypeReference<java.util.Optional<Integer>>() { }));
        assertThat(s.toString()).isEqualTo("{\"oneOf\":[{\"type\":\"integer\",\"format\":\"int32\"},{\"type\":\"null\"}]}");
        assertThat(schemas.of(JSON.constructType(java.util.OptionalLong.class)).toString()).isEqualTo("{\"type\":[\"integer\",\"null\"]}");
    }

    @Test
    void modelsAreDescribedByTheirTensors() throws Exception {
        JsonNode doc = JSON.readTree(get(http, "/openapi.json").body());
        JsonNode post = doc.at("/paths/~1api~1v1~1models~1linear~1predict/post");
        JsonNode x = post.at("/requestBody/content/application~1json/schema/properties/x");
        assertThat(x.get("description").asText()).isEqualTo("x: float32[batch, 2]");
        assertThat(x.get("x-louie-shape").toString()).isEqualTo("[null,2]");
        assertThat(x.at("/oneOf/1/items/items/format").asText()).isEqualTo("float");
        assertThat(post.at("/responses/200/content/application~1json/schema/properties/outputs/properties/y/description").asText())
                .isEqualTo("y: float32[batch, 2]");
        assertThat(post.at("/responses").has("504")).isTrue();
        assertThat(post.at("/parameters/0/name").asText()).isEqualTo("timeout");
    }

    @Test
    void docsServeSwaggerUiFromTheJar() throws Exception {
        HttpResponse<String> page = get(http, "/docs");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("docs/swagger-ui-bundle.js").contains("url: \"openapi.json\"").doesNotContain("https://");
        HttpResponse<String> bundle = get(http, "/docs/swagger-ui-bundle.js");
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(bundle.body().length()).isGreaterThan(100_000);
        assertThat(get(http, "/docs/swagger-ui.css").statusCode()).isEqualTo(200);
        assertThat(get(http, "/docs/..%2Fpom.properties").statusCode()).isEqualTo(404);
    }

    @Test
    void docsAreOpenByDefaultAndClosedOnRequest() throws Exception {
        assertThat(get(http, "/openapi.json").statusCode()).as("open without a key").isEqualTo(200);
        try (LouieHttp closed = LouieHttp.builder(louie).host("127.0.0.1").port(0).tasks("add")
                .authenticator(ApiKeys.of(Map.of("a-key-for-the-openapi-test", Scope.READ))).docsRequireAuth(true).start()) {
            assertThat(get(closed, "/openapi.json").statusCode()).isEqualTo(401);
            assertThat(get(closed, "/docs").statusCode()).isEqualTo(401);
            HttpResponse<String> withKey = client.send(HttpRequest.newBuilder(URI.create(closed.uri() + "/openapi.json"))
                    .header("X-API-Key", "a-key-for-the-openapi-test").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(withKey.statusCode()).isEqualTo(200);
        }
    }
}
