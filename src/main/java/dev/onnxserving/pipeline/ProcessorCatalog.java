package dev.onnxserving.pipeline;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Every {@link Preprocessor} and {@link Postprocessor} bean by name. Two beans with one name fail at start-up. */
public final class ProcessorCatalog {

    private final Map<String, Preprocessor> preprocessors;
    private final Map<String, Postprocessor> postprocessors;

    public ProcessorCatalog(List<Preprocessor> preprocessors, List<Postprocessor> postprocessors) {
        this.preprocessors = byName(preprocessors, Preprocessor::name, "preprocessor");
        this.postprocessors = byName(postprocessors, Postprocessor::name, "postprocessor");
    }

    /** @throws ModelConfigurationException naming the processors there are */
    public Preprocessor preprocessor(String name) {
        Preprocessor processor = preprocessors.get(name);
        if (processor == null) {
            throw new ModelConfigurationException(
                    "unknown preprocessor '" + name + "'; known: " + preprocessors.keySet());
        }
        return processor;
    }

    /** @throws ModelConfigurationException naming the processors there are */
    public Postprocessor postprocessor(String name) {
        Postprocessor processor = postprocessors.get(name);
        if (processor == null) {
            throw new ModelConfigurationException(
                    "unknown postprocessor '" + name + "'; known: " + postprocessors.keySet());
        }
        return processor;
    }

    private static <T> Map<String, T> byName(List<T> processors, Function<T, String> name, String kind) {
        Map<String, T> result = new TreeMap<>();
        for (T processor : processors) {
            T previous = result.put(name.apply(processor), processor);
            if (previous != null) {
                throw new IllegalStateException("two " + kind + "s are named '" + name.apply(processor) + "': "
                        + previous.getClass().getName() + " and "
                        + processor.getClass().getName());
            }
        }
        return Map.copyOf(result);
    }
}
