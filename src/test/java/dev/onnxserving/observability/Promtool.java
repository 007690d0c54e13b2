package dev.onnxserving.observability;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's own checker, {@code promtool}, from the PATH. Without it a test is skipped, saying why; in CI (the
 * environment variable {@code CI=true}, where {@code .ci/run} installs it) it fails instead.
 */
final class Promtool {

    /** What promtool printed and how it exited. */
    record Result(int exitCode, String output) {}

    private Promtool() {}

    static Result run(String stdin, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable().toString());
        command.addAll(List.of(arguments));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream input = process.getOutputStream()) {
                input.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("promtool %s did not finish in 60 s", arguments);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run promtool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while promtool ran", e);
        }
    }

    private static Path executable() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String missing = "promtool is not on the PATH (Debian: the package prometheus; .ci/run installs it)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(missing + ", and CI=true requires it");
        }
        Assumptions.abort(missing + ": skipped; with CI=true this fails");
        throw new AssertionError("unreachable");
    }
}
