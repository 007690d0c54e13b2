package dev.onnxserving.custom;

import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.Postprocessor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Answers every class's probability by label: {"setosa": 0.98, "versicolor": 0.02, "virginica": 0.0}. */
@Component
public class ProbabilityMapPostprocessor implements Postprocessor {

    @Override
    public String name() {
        return "probability-map";
    }

    @Override
    public Postprocessing bind(ModelContext model) {
        String output = model.options().string("output").orElse("probabilities");
        List<String> labels = model.options()
                .strings("labels")
                .or(() -> java.util.Optional.ofNullable(
                                model.signature().metadata().get("labels"))
                        .map(text -> List.of(text.split(","))))
                .orElseThrow(() -> new ModelConfigurationException("probability-map needs options.labels"));
        return (outputs, instances, parameters) -> {
            float[] probabilities = outputs.get(output).floats();
            return java.util.stream.IntStream.range(0, instances)
                    .mapToObj(row -> {
                        Map<String, Float> byLabel = new LinkedHashMap<>();
                        for (int i = 0; i < labels.size(); i++) {
                            byLabel.put(labels.get(i), probabilities[row * labels.size() + i]);
                        }
                        return byLabel;
                    })
                    .toList();
        };
    }
}
