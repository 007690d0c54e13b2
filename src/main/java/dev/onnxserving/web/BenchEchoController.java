package dev.onnxserving.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /bench/echo}: parses a JSON body and writes it back, the web stack's own cost per request with no
 * model behind it. The benchmark suite measures it as the ceiling of every endpoint. Off unless
 * {@code serving.bench.echo-enabled=true}, so production never exposes it.
 */
@RestController
@ConditionalOnBooleanProperty("serving.bench.echo-enabled")
class BenchEchoController {

    @PostMapping(
            path = "/bench/echo",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    JsonNode echo(@RequestBody JsonNode body) {
        return body;
    }
}
