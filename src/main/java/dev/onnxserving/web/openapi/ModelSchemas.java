package dev.onnxserving.web.openapi;

import static dev.onnxserving.pipeline.JsonSchemas.schema;
import static dev.onnxserving.web.openapi.Schemas.arrayOf;
import static dev.onnxserving.web.openapi.Schemas.constant;
import static dev.onnxserving.web.openapi.Schemas.object;
import static dev.onnxserving.web.openapi.Schemas.string;

import dev.onnxserving.pipeline.JsonSchemas;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.ProcessorCatalog;
import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.registry.ModelLease;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.repository.ModelSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Generates each loaded model's {@link ModelSchema} from its signature, its settings and its processors'
 * descriptions. Holds a lease only while it reads the version, so a version being retired is not held open.
 */
@Component
class ModelSchemas {

    /** Examples larger than this many elements per input are left out of documents. */
    static final int MAX_EXAMPLE_ELEMENTS = 1 << 16;

    private final ModelRegistry registry;
    private final ProcessorCatalog processors;

    ModelSchemas(ModelRegistry registry, ProcessorCatalog processors) {
        this.registry = registry;
        this.processors = processors;
    }

    /**
     * @param version the version, or {@code null} for the one that serves by default
     * @throws dev.onnxserving.pipeline.ModelNotFoundException for an unknown model or version
     * @throws dev.onnxserving.pipeline.ModelNotReadyException when that version cannot serve now
     */
    ModelSchema describe(String model, Long version) {
        try (ModelLease lease = registry.acquire(model, version)) {
            ModelContext context = lease.context();
            ModelSettings settings = registry.settings(lease.modelName()).orElseGet(ModelSettings::defaults);
            return new ModelSchema(
                    lease.modelName(),
                    Long.toString(lease.version()),
                    settings.preprocessor(),
                    settings.postprocessor(),
                    describe(context.signature()),
                    inferRequest(context.signature()),
                    inferResponse(context.signature()),
                    inferExample(context.signature(), settings.warmupShapes()),
                    predictRequest(settings, context),
                    predictResponse(settings, context));
        }
    }

    private static String describe(ModelSignature signature) {
        return "inputs " + join(signature.inputs()) + "; outputs " + join(signature.tensorOutputs());
    }

    private static String join(List<TensorSpec> tensors) {
        return String.join(
                ", ",
                tensors.stream()
                        .map(spec -> spec.name() + " " + spec.describe())
                        .toList());
    }

    private static Map<String, Object> inferRequest(ModelSignature signature) {
        List<Object> inputs = new ArrayList<>();
        for (TensorSpec input : signature.inputs()) {
            inputs.add(tensor(input, "input", true));
        }
        List<String> outputNames =
                signature.tensorOutputs().stream().map(TensorSpec::name).toList();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("id", string("echoed in the response"));
        properties.put("parameters", Schemas.parameters());
        properties.put(
                "inputs",
                schema(
                        "type",
                        "array",
                        "minItems",
                        inputs.size(),
                        "maxItems",
                        inputs.size(),
                        "items",
                        inputs.size() == 1 ? inputs.get(0) : schema("oneOf", inputs)));
        properties.put(
                "outputs",
                schema(
                        "type", "array",
                        "description", "the outputs to return; all when absent",
                        "items",
                                object(
                                        Map.of(
                                                "name",
                                                schema("type", "string", "enum", outputNames),
                                                "parameters",
                                                Schemas.parameters()),
                                        List.of("name"))));
        return object(properties, List.of("inputs"));
    }

    private static Map<String, Object> inferResponse(ModelSignature signature) {
        List<Object> outputs = new ArrayList<>();
        for (TensorSpec output : signature.tensorOutputs()) {
            outputs.add(tensor(output, "output", false));
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("model_name", string("the model that served"));
        properties.put("model_version", string("the version that served"));
        properties.put("id", string("the request's id, when it had one"));
        properties.put(
                "outputs",
                arrayOf(outputs.size() == 1 ? (Map<String, Object>) outputs.get(0) : schema("oneOf", outputs)));
        return object(properties, List.of("model_name", "outputs"));
    }

    /** One input or output tensor: its name, datatype and rank are fixed, its data typed. */
    private static Map<String, Object> tensor(TensorSpec spec, String kind, boolean request) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("name", constant(spec.name()));
        properties.put("datatype", constant(spec.type().protocolName()));
        properties.put(
                "shape",
                schema(
                        "type", "array",
                        "description", spec.describe() + "; -1 marks a dimension of any size",
                        "minItems", spec.rank(),
                        "maxItems", spec.rank(),
                        "items", schema("type", "integer", "minimum", 0)));
        properties.put(
                "data",
                schema(
                        "type",
                        "array",
                        "description",
                        "the elements in row-major order, flat or nested as the shape"
                                + (request ? "; or parameters.binary_data_size with binary data" : ""),
                        "items",
                        JsonSchemas.element(spec.type())));
        properties.put("parameters", Schemas.parameters());
        Map<String, Object> schema = object(properties, List.of("name", "shape", "datatype"));
        schema.put("description", kind + " '" + spec.name() + "': " + spec.describe());
        return schema;
    }

    private static Map<String, Object> inferExample(ModelSignature signature, Map<String, long[]> warmupShapes) {
        List<Object> inputs = new ArrayList<>();
        for (TensorSpec input : signature.inputs()) {
            long[] shape = concrete(input, warmupShapes.get(input.name()));
            int count = Shapes.elementCount(shape);
            if (count > MAX_EXAMPLE_ELEMENTS) {
                return Map.of();
            }
            Map<String, Object> tensor = new LinkedHashMap<>();
            tensor.put("name", input.name());
            tensor.put("shape", shape);
            tensor.put("datatype", input.type().protocolName());
            tensor.put("data", Collections.nCopies(count, JsonSchemas.zero(input.type())));
            inputs.add(tensor);
        }
        return Map.of("inputs", inputs);
    }

    /** The declared shape with dynamic dimensions made concrete: the warm-up shape's, else 1. */
    static long[] concrete(TensorSpec spec, long[] warmup) {
        long[] shape = spec.shape();
        for (int dim = 0; dim < shape.length; dim++) {
            if (shape[dim] < 0) {
                shape[dim] = warmup != null && warmup.length == shape.length && warmup[dim] >= 0 ? warmup[dim] : 1;
            }
        }
        return shape;
    }

    private Map<String, Object> predictRequest(ModelSettings settings, ModelContext context) {
        Map<String, Object> instances = schema(
                "type",
                "array",
                "minItems",
                1,
                "items",
                processors.preprocessor(settings.preprocessor()).instanceSchema(context));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("instances", instances);
        properties.put("parameters", schema("type", "object", "description", "options for the processors"));
        return object(properties, List.of("instances"));
    }

    private Map<String, Object> predictResponse(ModelSettings settings, ModelContext context) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("model", constant(context.name()));
        properties.put("version", string("the version that served"));
        properties.put(
                "predictions",
                arrayOf(processors.postprocessor(settings.postprocessor()).predictionSchema(context)));
        return object(properties, List.of("model", "version", "predictions"));
    }
}
