package dev.onnxserving.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Builds model repositories in temporary folders for end-to-end tests, from the bundled and test models, and
 * publishes or removes versions in them the safe way while a server watches.
 */
public final class TestRepository {

    private static final Path BUNDLED = Path.of("models");
    private static final Path TEST_MODELS = Path.of("src/test/resources/test-models");

    private final Path root;

    private TestRepository(Path root) {
        this.root = root;
    }

    public static TestRepository create(String prefix) {
        try {
            Path root = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
            return new TestRepository(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    /** Copies every model of the repository's {@code models/} folder. */
    public TestRepository withBundledModels() {
        try (Stream<Path> models = Files.list(BUNDLED)) {
            models.filter(Files::isDirectory).forEach(model -> copy(model, root.resolve(model.getFileName())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Copies {@code src/test/resources/test-models/<name>}. */
    public TestRepository withTestModel(String name) {
        copy(TEST_MODELS.resolve(name), root.resolve(name));
        return this;
    }

    /** A model whose only version is not a loadable ONNX file, so it ends FAILED. */
    public TestRepository withBrokenModel(String name) {
        try {
            Path version = Files.createDirectories(root.resolve(name).resolve("1"));
            Files.writeString(version.resolve("model.onnx"), "not an onnx model");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Copies bundled model {@code source} (its files and the versions given) as model {@code name}. Under another name
     * the copy leaves out the {@code deployment:} section of its {@code model.yaml}: those are the demo's own choices.
     */
    public TestRepository copy(String source, String name, long... versions) {
        try {
            Path target = Files.createDirectories(root.resolve(name));
            try (Stream<Path> files = Files.list(BUNDLED.resolve(source))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
            Path settings = target.resolve("model.yaml");
            if (!source.equals(name) && Files.isRegularFile(settings)) {
                Files.writeString(settings, withoutDeploymentSection(Files.readString(settings)));
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

    private static String withoutDeploymentSection(String yaml) {
        StringBuilder kept = new StringBuilder();
        boolean inDeployment = false;
        for (String line : yaml.split("\n", -1)) {
            boolean topLevel = !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#");
            if (topLevel) {
                inDeployment = line.startsWith("deployment:");
            }
            if (!inDeployment) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
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

    private static void delete(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a temporary folder that cannot be listed is left to the system
        }
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
