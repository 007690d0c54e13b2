package dev.onnxserving.management;

import dev.onnxserving.deployment.ModelManager;
import dev.onnxserving.deployment.OperatorCommands;
import dev.onnxserving.pipeline.ErrorKind;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.repository.VersionNumbers;
import dev.onnxserving.web.Raises;
import dev.onnxserving.web.openapi.Operations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The operators' API: list models with routing and load history, load and unload versions, replace the routing. Each
 * change answers with the model as that change left it, or 202 with the model to poll while a version folder it
 * needs is still settling. Guarded by {@link ManagementAccessFilter}.
 */
@RestController
@Conditional(ManagementEnabledCondition.class)
@RequestMapping(path = ManagementPaths.ADMIN + "/models", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
        name = Operations.MANAGEMENT_TAG,
        description = "Loads, unloads and routes versions; needs the management API key.")
@Raises({ErrorKind.UNAUTHORIZED, ErrorKind.FORBIDDEN})
class AdminController {

    private final ModelManager manager;
    private final OperatorCommands commands;
    private final ModelRegistry registry;

    AdminController(ModelManager manager, OperatorCommands commands, ModelRegistry registry) {
        this.manager = manager;
        this.commands = commands;
        this.registry = registry;
    }

    @Operation(summary = "Every model with its versions, states and deployment (versions, routing).")
    @GetMapping
    List<AdminModelView> models() {
        return registry.status().stream().map(this::view).toList();
    }

    @Operation(summary = "One model with its versions, states and deployment.")
    @Raises(ErrorKind.NOT_FOUND)
    @GetMapping("/{model}")
    AdminModelView model(@PathVariable String model) {
        return view(registry.status(model)
                .orElseThrow(() ->
                        new ModelNotFoundException("no model '" + model + "'; models: " + registry.modelNames())));
    }

    @Operation(summary = "Loads a version of the model, and keeps it loaded whatever the version policy.")
    @Raises({ErrorKind.INVALID_INPUT, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @PostMapping("/{model}/versions/{version}/load")
    ResponseEntity<AdminModelView> load(@PathVariable String model, @PathVariable String version) {
        return answer(commands.loadVersion(model, version(version)));
    }

    @Operation(summary = "Unloads a version of the model once its requests in flight are done.")
    @Raises({ErrorKind.INVALID_INPUT, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @PostMapping("/{model}/versions/{version}/unload")
    ResponseEntity<AdminModelView> unload(@PathVariable String model, @PathVariable String version) {
        return answer(commands.unloadVersion(model, version(version)));
    }

    @Operation(summary = "Replaces the model's routing: default version, weights, labels, shadow.")
    @Raises({ErrorKind.INVALID_INPUT, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @PutMapping(path = "/{model}/routing", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<AdminModelView> routing(@PathVariable String model, @RequestBody JsonNode body) {
        RoutingRequest request = RoutingRequest.from(body);
        return answer(commands.route(model, request.routing(), request.policy()));
    }

    /**
     * 200 with the model as the change left it, or 202 with a {@code Location} to poll when the change waits for a
     * version folder to settle.
     */
    private ResponseEntity<AdminModelView> answer(OperatorCommands.Outcome outcome) {
        AdminModelView view = view(outcome.status());
        if (outcome.settling()) {
            return ResponseEntity.accepted()
                    .location(URI.create(ManagementPaths.ADMIN + "/models/"
                            + outcome.status().name()))
                    .body(view);
        }
        return ResponseEntity.ok(view);
    }

    private AdminModelView view(ModelStatus status) {
        return AdminModelView.of(status, manager.deployment(status.name()).orElse(null));
    }

    private static long version(String text) {
        if (!VersionNumbers.isValid(text)) {
            throw InvalidInputException.at(
                    "/version",
                    "expected a version number (a positive integer without leading zeros), got '"
                            + (text.length() > 32 ? text.substring(0, 32) + "..." : text) + "'");
        }
        return Long.parseLong(text);
    }
}
