package dev.onnxserving.deployment;

import dev.onnxserving.loading.VersionLoader;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.Postprocessor;
import dev.onnxserving.pipeline.Preprocessor;
import dev.onnxserving.pipeline.ProcessorCatalog;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.registry.ModelLease;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.registry.VersionChoice;
import dev.onnxserving.repository.ModelRepository;
import dev.onnxserving.repository.ModelSettings;
import dev.onnxserving.repository.ModelVersion;
import dev.onnxserving.repository.RepositoryProperties;
import dev.onnxserving.testing.FakeSessions;
import dev.onnxserving.testing.MutableClock;
import dev.onnxserving.testing.RecordingEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A repository in a folder, fake sessions, and a registry and manager over them. */
public final class ManagerFixture {

    public final Path root;
    final MutableClock clock = new MutableClock();
    public final FakeSessions sessions = new FakeSessions();
    public final RecordingEvents events = new RecordingEvents();
    public final ModelRegistry registry;
    public final ModelManager manager;
    public final OperatorCommands commands;
    public final ModelRepository repository;

    public ManagerFixture(Path root, Duration settleTime, Map<String, ServingProperties.Model> models) {
        this(root, settleTime, models, null);
    }

    /** With the real clock, for tests of threads that watch the disk. */
    public static ManagerFixture withSystemClock(Path root, Duration settleTime) {
        return new ManagerFixture(root, settleTime, Map.of(), java.time.Clock.systemUTC());
    }

    private ManagerFixture(
            Path root, Duration settleTime, Map<String, ServingProperties.Model> models, java.time.Clock realClock) {
        this(root, settleTime, models, realClock, new ModelRepository(root));
    }

    /**
     * With the real clock and a repository that reads the models in {@code sourced} from {@code cache}: for tests of
     * the source sync.
     */
    public static ManagerFixture withCache(
            Path root,
            Path cache,
            dev.onnxserving.repository.SourcedModels sourced,
            Map<String, ServingProperties.Model> models) {
        return new ManagerFixture(
                root,
                Duration.ofSeconds(30),
                models,
                java.time.Clock.systemUTC(),
                new ModelRepository(root, cache, sourced));
    }

    private ManagerFixture(
            Path root,
            Duration settleTime,
            Map<String, ServingProperties.Model> models,
            java.time.Clock realClock,
            ModelRepository repository) {
        java.time.Clock clock = realClock != null ? realClock : this.clock;
        this.root = root;
        ServingProperties properties = new ServingProperties(null, Duration.ofSeconds(30), models, null);
        RepositoryProperties repositoryProperties =
                new RepositoryProperties(root, true, Duration.ofSeconds(1), settleTime, false);
        registry = new ModelRegistry(null, events, clock);
        VersionLoader loader = new VersionLoader(
                sessions,
                new ProcessorCatalog(
                        List.of(preprocessor("tensor"), preprocessor("features")),
                        List.of(postprocessor("tensor"), labelsFilePostprocessor())),
                VersionLoader.SessionDecorator.NONE);
        this.repository = repository;
        manager = new ModelManager(repository, registry, loader, properties, repositoryProperties, events, clock);
        commands = new OperatorCommands(manager, registry, repository, true);
    }

    public ManagerFixture(Path root) {
        this(root, Duration.ZERO, Map.of());
    }

    /** Publishes a version the safe way: written in a dot-folder, then renamed into place. */
    public void publish(String model, long version, String content) {
        try {
            Path staging = root.resolve(model).resolve("." + version + ".tmp");
            Files.createDirectories(staging);
            Files.writeString(staging.resolve(ModelVersion.MODEL_FILE), content);
            Path target = root.resolve(model).resolve(Long.toString(version));
            if (Files.exists(target)) {
                delete(target);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes straight into the version folder, as a slow copy would. */
    public void writeInPlace(String model, long version, String content) {
        try {
            Path folder = root.resolve(model).resolve(Long.toString(version));
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(ModelVersion.MODEL_FILE), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void settings(String model, String yaml) {
        try {
            Files.createDirectories(root.resolve(model));
            Files.writeString(root.resolve(model).resolve(ModelSettings.FILE), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void remove(String model, long version) {
        delete(root.resolve(model).resolve(Long.toString(version)));
    }

    public void delete(Path path) {
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ModelStatus status(String model) {
        return registry.status(model).orElseThrow();
    }

    public Map<Long, ModelState> states(String model) {
        Map<Long, ModelState> states = new java.util.TreeMap<>();
        status(model).versions().forEach(v -> states.put(v.version(), v.state()));
        return states;
    }

    public long servedVersion(String model) {
        try (ModelLease lease = registry.acquire(model, VersionChoice.routed())) {
            return lease.version();
        }
    }

    private static Preprocessor preprocessor(String name) {
        return new Preprocessor() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Preprocessing bind(ModelContext model) {
                return (instances, parameters) -> Tensors.of(
                        "input",
                        dev.onnxserving.pipeline.Tensor.zeros(
                                dev.onnxserving.pipeline.ElementType.FP32, new long[] {instances.size(), 4}));
            }
        };
    }

    /** {@code labelled}: reads the file its {@code labels-file} option names, and refuses to bind without it. */
    private static Postprocessor labelsFilePostprocessor() {
        return new Postprocessor() {
            @Override
            public String name() {
                return "labelled";
            }

            @Override
            public Postprocessing bind(ModelContext model) {
                String file = model.options().string("labels-file").orElseThrow();
                if (!Files.isRegularFile(model.directory().resolve(file))) {
                    throw new ModelConfigurationException("labels-file '" + file + "' does not exist");
                }
                return (outputs, instances, parameters) -> List.of();
            }
        };
    }

    /** Writes a file beside the model's version folders, such as a labels file. */
    public void modelFile(String model, String file, String content) {
        try {
            Files.writeString(root.resolve(model).resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Postprocessor postprocessor(String name) {
        return new Postprocessor() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Postprocessing bind(ModelContext model) {
                return (outputs, instances, parameters) -> List.of();
            }
        };
    }
}
