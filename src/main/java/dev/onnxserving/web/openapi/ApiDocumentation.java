package dev.onnxserving.web.openapi;

import static dev.onnxserving.pipeline.JsonSchemas.schema;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.web.openinference.ServerVersion;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * What the OpenAPI document springdoc generates from the controllers' annotations needs besides: its title and
 * version, the shared schemas the annotations refer to ({@code openapi/schemas.json}, the protocol's datatypes
 * filled in from {@link ElementType}), and what the path variables mean.
 */
@Component
class ApiDocumentation implements OpenApiCustomizer {

    private static final String SCHEMAS = "openapi/schemas.json";

    /** Each path variable of the API: its meaning and an example that works against the bundled models. */
    private static final Map<String, List<String>> PATH_VARIABLES = Map.of(
            "model", List.of("the model's name", Operations.EXAMPLE),
            "version", List.of("a version number; without it, the version that serves by default", "1"),
            "label", List.of("a label of the model's routing (serving.models.<name>.labels.<label>)", "stable"));

    private final Map<String, Object> shared = read();
    private final String version;

    ApiDocumentation(ServerVersion version) {
        this.version = version.version();
    }

    @Override
    public void customise(OpenAPI openApi) {
        openApi.getInfo()
                .title("onnx-serving")
                .version(version)
                .description("Serves a folder of ONNX models. The application API (/predict) runs each model's"
                        + " processors; the Open Inference Protocol v2 (/v2) runs the raw model on typed tensors,"
                        + " in JSON or with the binary tensor data extension. Every model that can serve has its own"
                        + " operations below, with the exact tensors it takes, and its schema at"
                        + " /models/{model}/schema.");
        shared.forEach((name, schema) -> openApi.getComponents().addSchemas(name, schema(schema)));
        openApi.getComponents()
                .getSchemas()
                .get("v2.Datatype")
                .setEnum(new ArrayList<>(Arrays.stream(ElementType.values())
                        .map(ElementType::protocolName)
                        .toList()));
        openApi.getPaths().values().stream()
                .map(PathItem::readOperations)
                .flatMap(List::stream)
                .filter(operation -> operation.getParameters() != null)
                .flatMap(operation -> operation.getParameters().stream())
                .filter(parameter -> "path".equals(parameter.getIn()))
                .forEach(ApiDocumentation::describe);
    }

    private static void describe(Parameter parameter) {
        List<String> meaning = PATH_VARIABLES.get(parameter.getName());
        if (meaning != null) {
            parameter.description(meaning.get(0)).example(meaning.get(1));
        }
    }

    /** A fresh copy each time: springdoc builds the document anew on every request and may change what it gets. */
    @SuppressWarnings("rawtypes")
    static Schema<?> schema(Object schema) {
        return Json.mapper().convertValue(schema, Schema.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read() {
        try (InputStream in = new ClassPathResource(SCHEMAS).getInputStream()) {
            return Json.mapper().readValue(in, LinkedHashMap.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SCHEMAS, e);
        }
    }
}
