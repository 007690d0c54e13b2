package dev.onnxserving.management;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.onnxserving.deployment.OperatorCommands;
import dev.onnxserving.pipeline.ErrorKind;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.JsonKinds;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.repository.ModelRepository;
import dev.onnxserving.web.Raises;
import dev.onnxserving.web.openapi.Operations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The model repository extension of the Open Inference Protocol (as Triton defines it): index, load, unload. Loading
 * takes models only from the repository: parameters that would supply a configuration or files are refused. Errors
 * are {@code {"error": "..."}}. Guarded by {@link ManagementAccessFilter}.
 */
@RestController
@Conditional(ManagementEnabledCondition.class)
@RequestMapping(path = ManagementPaths.REPOSITORY, produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = Operations.MANAGEMENT_TAG)
@Raises({ErrorKind.UNAUTHORIZED, ErrorKind.FORBIDDEN})
class RepositoryController {

    private final OperatorCommands commands;
    private final ModelRegistry registry;
    private final ModelRepository repository;

    RepositoryController(OperatorCommands commands, ModelRegistry registry, ModelRepository repository) {
        this.commands = commands;
        this.registry = registry;
        this.repository = repository;
    }

    /**
     * @param name the model
     * @param version the version, absent for a model with no version known
     * @param state {@code READY}, {@code LOADING} or {@code UNAVAILABLE}
     * @param reason why it is not READY
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record IndexEntry(String name, String version, String state, String reason) {}

    @Operation(summary = "The protocol's repository index: every model and version with its state.")
    @Raises(ErrorKind.INVALID_INPUT)
    @PostMapping("/index")
    List<IndexEntry> index(@RequestBody(required = false) JsonNode body) {
        boolean readyOnly = false;
        if (body != null && !body.isNull()) {
            requireOnly(body, Set.of("ready"), "");
            JsonNode ready = body.get("ready");
            if (ready != null && !ready.isNull()) {
                if (!ready.isBoolean()) {
                    throw InvalidInputException.at(
                            "/ready", "expected true or false, got " + JsonKinds.describe(ready));
                }
                readyOnly = ready.booleanValue();
            }
        }
        Set<String> names = new TreeSet<>(registry.modelNames());
        names.addAll(repository.scan().keySet());
        List<IndexEntry> entries = new ArrayList<>();
        for (String name : names) {
            ModelStatus status = registry.status(name).orElse(null);
            if (status == null || status.versions().isEmpty()) {
                if (!readyOnly) {
                    entries.add(new IndexEntry(name, null, "UNAVAILABLE", "no version is loaded"));
                }
                continue;
            }
            for (ModelStatus.VersionStatus version : status.versions()) {
                String state = version.state() == ModelState.READY || version.state() == ModelState.LOADING
                        ? version.state().name()
                        : "UNAVAILABLE";
                if (!readyOnly || version.state() == ModelState.READY) {
                    entries.add(new IndexEntry(
                            name,
                            Long.toString(version.version()),
                            state,
                            version.reason().isEmpty() ? null : version.reason()));
                }
            }
        }
        return entries;
    }

    @Operation(summary = "Loads the model's versions as its version policy says.")
    @Raises({ErrorKind.INVALID_INPUT, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @PostMapping("/models/{model}/load")
    ResponseEntity<Void> load(@PathVariable String model, @RequestBody(required = false) JsonNode body) {
        parameters(body, Set.of());
        boolean settling = commands.loadModel(model).settling();
        return settling
                ? ResponseEntity.accepted().build()
                : ResponseEntity.ok().build();
    }

    @Operation(summary = "Unloads every version of the model once its requests in flight are done.")
    @Raises({ErrorKind.INVALID_INPUT, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @PostMapping("/models/{model}/unload")
    ResponseEntity<Void> unload(@PathVariable String model, @RequestBody(required = false) JsonNode body) {
        JsonNode parameters = parameters(body, Set.of("unload_dependents"));
        JsonNode dependents = parameters == null ? null : parameters.get("unload_dependents");
        if (dependents != null && !dependents.isBoolean()) {
            throw InvalidInputException.at(
                    "/parameters/unload_dependents", "expected true or false, got " + JsonKinds.describe(dependents));
        }
        commands.unloadModel(model);
        return ResponseEntity.ok().build();
    }

    private static JsonNode parameters(JsonNode body, Set<String> allowed) {
        if (body == null || body.isNull()) {
            return null;
        }
        requireOnly(body, Set.of("parameters"), "");
        JsonNode parameters = body.get("parameters");
        if (parameters == null || parameters.isNull()) {
            return null;
        }
        if (!parameters.isObject()) {
            throw InvalidInputException.at("/parameters", "expected an object, got " + JsonKinds.describe(parameters));
        }
        for (String name : parameters.propertyNames()) {
            if (!allowed.contains(name)) {
                throw InvalidInputException.at(
                        "/parameters/" + name,
                        "parameter '" + name + "' is not supported: models load only from the repository as they"
                                + " are on disk" + (allowed.isEmpty() ? "" : "; supported: " + allowed));
            }
        }
        return parameters;
    }

    private static void requireOnly(JsonNode body, Set<String> fields, String pointer) {
        if (!body.isObject()) {
            throw InvalidInputException.at(pointer, "expected a JSON object, got " + JsonKinds.describe(body));
        }
        for (String field : body.propertyNames()) {
            if (!fields.contains(field)) {
                throw InvalidInputException.at(
                        pointer + "/" + field, "unknown field '" + field + "'; expected " + fields);
            }
        }
    }
}
