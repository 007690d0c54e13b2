package dev.onnxserving.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged service running as a separate JVM on 127.0.0.1, in the project's folder (so the default repository is
 * the bundled {@code models/}), with the output the test reads back. Always {@link #close() closed} by the test: the
 * process never outlives it.
 */
final class ServiceProcess implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ServiceProcess(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.reader = new Thread(() -> copyOutput(logFile), "service-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The jar {@code mvn package} built, if it is there. */
    static Optional<Path> packagedJar() {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(file -> file.getFileName().toString().matches("onnx-serving-.*\\.jar"))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static ServiceProcess start(Path jar, Path logFile, String... arguments) throws IOException {
        return start(jar, logFile, Map.of(), List.of(arguments));
    }

    /**
     * Starts the jar listening on a free port of 127.0.0.1, with nothing else set but the environment variables and
     * arguments given.
     */
    static ServiceProcess start(Path jar, Path logFile, Map<String, String> environment, List<String> arguments)
            throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                jar.toString(),
                "--server.address=127.0.0.1",
                "--server.port=" + port));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // settings this JVM's environment may carry do not reach the service
        builder.environment().keySet().removeIf(name -> name.startsWith("SERVING_") || name.startsWith("SPRING_"));
        builder.environment().putAll(environment);
        return new ServiceProcess(builder.start(), port, logFile);
    }

    int port() {
        return port;
    }

    Process process() {
        return process;
    }

    /** Waits until readiness answers 200; fails early when the process dies. */
    void awaitReady(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String readiness = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + output());
            }
            Optional<HttpResponse<String>> response = readiness();
            if (response.isPresent() && response.get().statusCode() == 200) {
                return;
            }
            readiness = response.map(answer -> answer.statusCode() + " " + answer.body())
                    .orElse(readiness);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new IllegalStateException(
                "the service was not ready within " + limit + ", readiness answered " + readiness + ":\n" + output());
    }

    /**
     * Waits until the process exits and returns its exit code; fails when readiness answers 200 first (the service
     * started, where it should have refused to) or the process is still running at the limit.
     */
    int awaitExit(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String readiness = "no answer";
        while (System.nanoTime() < deadline) {
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                awaitOutputRead(Duration.ofSeconds(10));
                return process.exitValue();
            }
            Optional<HttpResponse<String>> response = readiness();
            if (response.isPresent() && response.get().statusCode() == 200) {
                throw new IllegalStateException("the service started and is ready instead of exiting:\n" + output());
            }
            readiness = response.map(answer -> answer.statusCode() + " " + answer.body())
                    .orElse(readiness);
        }
        throw new IllegalStateException("the service was still running after " + limit + ", readiness answered "
                + readiness + ":\n" + output());
    }

    private Optional<HttpResponse<String>> readiness() throws InterruptedException {
        try {
            return Optional.of(CLIENT.send(
                    HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException notYet) {
            return Optional.empty(); // not listening yet
        }
    }

    /** Waits until a new connection is refused: the listener is closed. Returns whether that happened in time. */
    boolean awaitListenerClosed(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
            } catch (ConnectException refused) {
                return true;
            } catch (IOException other) {
                // a timeout or a reset: not a clear answer, ask again
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return false;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Every line the service printed that is a JSON log event. */
    List<JsonNode> logEvents() {
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("{")) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    /** Lines the service printed that are not JSON log events (the JVM's own warnings, say). */
    List<String> plainLines() {
        return lines.stream().filter(line -> !line.startsWith("{")).toList();
    }

    /** Waits for the output to be read to its end (the process has exited). */
    void awaitOutputRead(Duration limit) throws InterruptedException {
        reader.join(limit.toMillis());
    }

    String output() {
        return String.join("\n", lines);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void copyOutput(Path logFile) {
        try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                var log = new PrintWriter(Files.newBufferedWriter(logFile))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                log.println(line);
                log.flush();
            }
        } catch (IOException e) {
            lines.add("(output no longer readable: " + e.getMessage() + ")");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
