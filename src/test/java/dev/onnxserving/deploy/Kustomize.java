package dev.onnxserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Renders kustomizations with the kustomize built into kubectl, or a standalone kustomize, whichever is on PATH. */
final class Kustomize {

    static final Path ROOT = Path.of("k8s");
    private static final Map<Path, String> rendered = new ConcurrentHashMap<>();

    private Kustomize() {}

    /** Every kustomization a user deploys: the overlays, and the examples that combine them with components. */
    static Stream<Path> deployables() {
        List<Path> result = new ArrayList<>();
        for (String folder : List.of("overlays", "examples")) {
            try (Stream<Path> children = Files.list(ROOT.resolve(folder))) {
                children.filter(dir -> Files.exists(dir.resolve("kustomization.yaml")))
                        .sorted()
                        .forEach(result::add);
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + ROOT.resolve(folder), e);
            }
        }
        assertThat(result).extracting(Path::toString).contains("k8s/overlays/dev", "k8s/overlays/prod");
        return result.stream();
    }

    /** The rendered multi-document YAML; the test is skipped, saying why, when no kustomize can be found. */
    static String build(Path kustomization) {
        List<String> command = command().orElseThrow(() -> {
            Assumptions.abort("neither kubectl nor kustomize is on PATH: Kubernetes manifests not rendered");
            return new IllegalStateException();
        });
        return rendered.computeIfAbsent(kustomization, dir -> run(command, dir));
    }

    private static Optional<List<String>> command() {
        if (onPath("kubectl")) {
            return Optional.of(List.of("kubectl", "kustomize"));
        }
        if (onPath("kustomize")) {
            return Optional.of(List.of("kustomize", "build"));
        }
        return Optional.empty();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static String run(List<String> command, Path dir) {
        List<String> full = new ArrayList<>(command);
        full.add(dir.toString());
        try {
            Path errors = Files.createTempFile("kustomize", ".err");
            Process process =
                    new ProcessBuilder(full).redirectError(errors.toFile()).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in 60 s");
            }
            String stderr = Files.readString(errors);
            Files.delete(errors);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed: " + stderr);
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", full), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted rendering " + dir, e);
        }
    }
}
