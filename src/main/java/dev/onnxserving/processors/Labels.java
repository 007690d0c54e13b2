package dev.onnxserving.processors;

import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Class labels for a model, from the first of: {@code options.labels-file} (a UTF-8 file in the model directory,
 * one label per line, blank lines ignored), {@code options.labels} (a list), the model metadata {@code labels}
 * (comma-separated).
 *
 * @param labels the labels in class-index order
 * @param origin where they came from, for messages, e.g. {@code options.labels-file 'labels.txt'}
 */
record Labels(List<String> labels, String origin) {

    static final String FILE_OPTION = "labels-file";
    static final String LIST_OPTION = "labels";
    static final String METADATA_KEY = "labels";

    Labels {
        labels = List.copyOf(labels);
    }

    /**
     * @throws ModelConfigurationException when both options are set, the file cannot be read, or a source has no
     *     labels
     */
    static Optional<Labels> load(ModelContext model, String processor) {
        Optional<String> file = model.options().string(FILE_OPTION);
        Optional<List<String>> list = model.options().strings(LIST_OPTION);
        if (file.isPresent() && list.isPresent()) {
            throw new ModelConfigurationException(
                    processor + ": options." + FILE_OPTION + " and options." + LIST_OPTION + " are both set, use one");
        }
        Optional<Labels> labels = file.map(name -> read(model, name, processor))
                .or(() -> list.map(values -> new Labels(values, "options." + LIST_OPTION)))
                .or(() -> Optional.ofNullable(model.signature().metadata().get(METADATA_KEY))
                        .map(text -> new Labels(
                                Stream.of(text.split(",")).map(String::strip).toList(),
                                "model metadata " + METADATA_KEY)));
        labels.ifPresent(found -> {
            if (found.labels().isEmpty()) {
                throw new ModelConfigurationException(processor + ": " + found.origin() + " has no labels");
            }
            if (found.labels().stream().anyMatch(String::isBlank)) {
                throw new ModelConfigurationException(
                        processor + ": " + found.origin() + " has a blank label: " + found.labels());
            }
        });
        return labels;
    }

    int size() {
        return labels.size();
    }

    String get(int index) {
        return labels.get(index);
    }

    private static Labels read(ModelContext model, String name, String processor) {
        String origin = "options." + FILE_OPTION + " '" + name + "'";
        Path directory = model.directory().toAbsolutePath().normalize();
        Path file = directory.resolve(name).normalize();
        if (!file.startsWith(directory) || file.equals(directory)) {
            throw new ModelConfigurationException(
                    processor + ": " + origin + " must name a file inside the model directory");
        }
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return new Labels(
                    lines.map(String::strip).filter(line -> !line.isEmpty()).toList(), origin);
        } catch (IOException | UncheckedIOException e) {
            throw new ModelConfigurationException(processor + ": " + origin + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
