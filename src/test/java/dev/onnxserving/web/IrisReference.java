package dev.onnxserving.web;

import static dev.onnxserving.testing.Http.JSON;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The iris version 2 reference rows and the labels and best scores scikit-learn gave them. */
record IrisReference(List<String> instances, List<String> labels, List<Double> scores) {

    static IrisReference load() {
        JsonNode reference = JSON.readTree(
                Path.of("src/test/resources/reference/iris-2.json").toFile());
        List<String> instances = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < reference.get("rows").size(); i++) {
            instances.add(JSON.writeValueAsString(reference.get("rows").get(i)));
            labels.add(reference.get("expected").get("labels").get(i).asString());
            double best = 0;
            for (JsonNode probability :
                    reference.get("expected").get("probabilities").get(i)) {
                best = Math.max(best, probability.asDouble());
            }
            scores.add(best);
        }
        return new IrisReference(instances, labels, scores);
    }

    /** A {@code /predict} body with instance {@code i} alone. */
    String body(int i) {
        return "{\"instances\": [" + instances.get(i) + "]}";
    }

    int size() {
        return instances.size();
    }
}
