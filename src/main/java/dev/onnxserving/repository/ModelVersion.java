package dev.onnxserving.repository;

import java.nio.file.Path;

/**
 * One version folder found on disk.
 *
 * @param name the model's name (its folder's name)
 * @param version the folder's number
 * @param directory the version folder, holding {@code model.onnx}
 */
public record ModelVersion(String name, long version, Path directory) {

    public static final String MODEL_FILE = "model.onnx";

    public Path modelFile() {
        return directory.resolve(MODEL_FILE);
    }

    @Override
    public String toString() {
        return name + "/" + version;
    }
}
