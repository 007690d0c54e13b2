package dev.onnxserving.processors;

import java.util.List;
import java.util.Map;

/** What the {@link RegressionPostprocessor} predicts for one instance: one value, several, or several named ones. */
public sealed interface RegressionPrediction {

    /** {@code {"value": 151.2}}, for an output of one value per instance. */
    record Value(double value) implements RegressionPrediction {}

    /** {@code {"values": [1.0, 2.5]}}, for an output of several values per instance. */
    record Values(List<Double> values) implements RegressionPrediction {

        public Values {
            values = List.copyOf(values);
        }
    }

    /** {@code {"values": {"a": 1.0, "b": 2.5}}}, in the order of {@code options.names}. */
    record NamedValues(Map<String, Double> values) implements RegressionPrediction {}
}
