package dev.onnxserving.management;

import dev.onnxserving.deployment.VersionPolicy;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.JsonKinds;
import dev.onnxserving.registry.Routing;
import dev.onnxserving.repository.VersionNumbers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A {@code PUT /admin/models/{model}/routing} body, checked field by field. The routing replaces the model's routing
 * as a whole (absent fields mean none); {@code versions} optionally replaces its version policy.
 *
 * <pre>
 * {"default": "2", "weights": {"2": 90, "3": 10}, "sticky-header": "X-User-Id",
 *  "labels": {"stable": "2", "canary": "3"}, "shadow": {"version": "3", "fraction": 0.1}, "versions": "latest:2"}
 * </pre>
 *
 * @param routing the new routing
 * @param policy the new version policy, or {@code null} to keep the current one
 */
record RoutingRequest(Routing routing, VersionPolicy policy) {

    private static final Set<String> FIELDS =
            Set.of("default", "weights", "sticky-header", "labels", "shadow", "versions");

    /** @throws InvalidInputException naming the field that is wrong, what was expected and what came */
    static RoutingRequest from(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidInputException.at(
                    "", "expected a JSON object such as {\"default\": \"2\"}, got " + JsonKinds.describe(body));
        }
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw InvalidInputException.at(
                        "/" + field,
                        "unknown field '" + field + "'; expected some of "
                                + FIELDS.stream().sorted().toList());
            }
        }
        Long defaultVersion = version(body.get("default"), "/default");
        Map<Long, Integer> weights = new LinkedHashMap<>();
        JsonNode weightsNode = present(body.get("weights"));
        if (weightsNode != null) {
            requireObject(weightsNode, "/weights", "an object of version to weight, such as {\"2\": 90, \"3\": 10}");
            for (Map.Entry<String, JsonNode> entry : weightsNode.properties()) {
                String pointer = "/weights/" + entry.getKey();
                if (!VersionNumbers.isValid(entry.getKey())) {
                    throw InvalidInputException.at(
                            pointer, "expected a version number as key, got '" + entry.getKey() + "'");
                }
                JsonNode weight = entry.getValue();
                if (!weight.isIntegralNumber() || !weight.canConvertToInt() || weight.intValue() < 0) {
                    throw InvalidInputException.at(
                            pointer, "expected a whole number of 0 or more, got " + JsonKinds.describe(weight));
                }
                weights.put(Long.parseLong(entry.getKey()), weight.intValue());
            }
        }
        String stickyHeader = null;
        JsonNode sticky = present(body.get("sticky-header"));
        if (sticky != null) {
            if (!sticky.isString()) {
                throw InvalidInputException.at(
                        "/sticky-header", "expected a header name, got " + JsonKinds.describe(sticky));
            }
            stickyHeader = sticky.stringValue();
        }
        Map<String, Long> labels = new LinkedHashMap<>();
        JsonNode labelsNode = present(body.get("labels"));
        if (labelsNode != null) {
            requireObject(labelsNode, "/labels", "an object of label to version, such as {\"stable\": \"2\"}");
            for (Map.Entry<String, JsonNode> entry : labelsNode.properties()) {
                labels.put(entry.getKey(), version(entry.getValue(), "/labels/" + entry.getKey()));
            }
        }
        Routing.Shadow shadow = null;
        JsonNode shadowNode = present(body.get("shadow"));
        if (shadowNode != null) {
            requireObject(shadowNode, "/shadow", "an object such as {\"version\": \"3\", \"fraction\": 0.1}");
            for (String field : shadowNode.propertyNames()) {
                if (!field.equals("version") && !field.equals("fraction")) {
                    throw InvalidInputException.at(
                            "/shadow/" + field, "unknown field '" + field + "'; expected 'version' and 'fraction'");
                }
            }
            Long version = version(shadowNode.get("version"), "/shadow/version");
            if (version == null) {
                throw InvalidInputException.at("/shadow/version", "expected a version number, got nothing");
            }
            JsonNode fraction = present(shadowNode.get("fraction"));
            if (fraction != null && !fraction.isNumber()) {
                throw InvalidInputException.at(
                        "/shadow/fraction", "expected a number from 0 to 1, got " + JsonKinds.describe(fraction));
            }
            shadow = new Routing.Shadow(version, fraction == null ? 1.0 : fraction.doubleValue());
        }
        VersionPolicy policy = null;
        JsonNode versions = present(body.get("versions"));
        if (versions != null) {
            if (!versions.isString()) {
                throw InvalidInputException.at(
                        "/versions",
                        "expected 'latest', 'latest:N', 'all' or a list such as '1,3', got "
                                + JsonKinds.describe(versions));
            }
            try {
                policy = VersionPolicy.parse(versions.stringValue());
            } catch (IllegalArgumentException e) {
                throw InvalidInputException.at("/versions", e.getMessage().replaceFirst("^versions: ", ""));
            }
        }
        return new RoutingRequest(new Routing(defaultVersion, weights, stickyHeader, labels, shadow), policy);
    }

    private static Long version(JsonNode node, String pointer) {
        JsonNode value = present(node);
        if (value == null) {
            return null;
        }
        String text = value.isIntegralNumber() ? value.asString() : value.isString() ? value.stringValue() : null;
        if (!VersionNumbers.isValid(text)) {
            throw InvalidInputException.at(
                    pointer, "expected a version number such as \"2\", got " + JsonKinds.describe(value));
        }
        return Long.parseLong(text);
    }

    private static JsonNode present(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    private static void requireObject(JsonNode node, String pointer, String expected) {
        if (!node.isObject()) {
            throw InvalidInputException.at(pointer, "expected " + expected + ", got " + JsonKinds.describe(node));
        }
    }
}
