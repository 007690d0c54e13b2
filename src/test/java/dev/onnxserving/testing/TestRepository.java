package dev.onnxserving.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** A model repository of its own for one test class, under target/, built from the bundled models. */
public final class TestRepository {

    private static final Path BUNDLED = Path.of("models");

    public final Path root;

    public TestRepository(String name) {
        try {
            root = Files.createDirectories(Path.of("target", "test-repositories"))
                    .resolve(name + "-" + System.nanoTime())
                    .toAbsolutePath();
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies bundled model {@code source} (its files and the versions given) as model {@code name}. */
    public TestRepository copy(String source, String name, long... versions) {
        try {
            Path target = Files.createDirectories(root.resolve(name));
            try (Stream<Path> files = Files.list(BUNDLED.resolve(source))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
            for (long version : versions) {
                publish(
                        name,
                        version,
                        BUNDLED.resolve(source).resolve(Long.toString(version)).resolve("model.onnx"));
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes a model file as a version the safe way: copied into a dot-folder, then renamed into place. */
    public void publish(String model, long version, Path modelFile) {
        publishBytes(model, version, read(modelFile));
    }

    public void publishBytes(String model, long version, byte[] bytes) {
        try {
            Path staging = Files.createDirectories(root.resolve(model).resolve(".staging-" + version));
            Files.write(staging.resolve("model.onnx"), bytes);
            Files.move(staging, root.resolve(model).resolve(Long.toString(version)), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a version folder the safe way: renamed out of sight first, then deleted. */
    public void remove(String model, long version) {
        try {
            Path hidden = root.resolve(model).resolve(".removed-" + version + "-" + System.nanoTime());
            Files.move(root.resolve(model).resolve(Long.toString(version)), hidden, StandardCopyOption.ATOMIC_MOVE);
            try (Stream<Path> walk = Files.walk(hidden)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bundled(String model, long version) {
        return read(BUNDLED.resolve(model).resolve(Long.toString(version)).resolve("model.onnx"));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
