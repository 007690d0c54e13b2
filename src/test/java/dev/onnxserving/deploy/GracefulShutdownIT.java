package dev.onnxserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.onnxserving.deploy.PredictionLoad.Outcome;
import dev.onnxserving.deploy.PredictionLoad.Result;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged service, run as its own process under load on loopback, gets SIGTERM (what Kubernetes sends after the
 * preStop pause). Readiness must turn to REFUSING_TRAFFIC first, the listener close, every request already accepted
 * finish with its answer, then the model sessions close and the process exit within the grace period.
 *
 * <p>A request counts as accepted when the service logged it as finished (DEBUG line of {@code
 * dev.onnxserving.requests}, by the id the client sent) with 200. Connections refused after the listener closed,
 * connections closed before a request was sent, and requests answered 503 "shutting down" (by the drain after its
 * grace, or by the closing connector in the application's shape) were never accepted: they are counted apart, and
 * allowed only after SIGTERM.
 */
class GracefulShutdownIT {

    /** The pod's budget after the preStop pause: spring.lifecycle.timeout-per-shutdown-phase (30 s) and the exit. */
    private static final Duration GRACE = Duration.ofSeconds(45);

    private static final String IRIS_ROW = "[5.1, 3.5, 1.4, 0.2]";
    private static final Pattern CLOSING = Pattern.compile("Model (\\S+)/(\\d+) is CLOSED");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void onSigtermReadinessGoesDownThenAcceptedRequestsFinishThenModelsCloseAndTheProcessExits() throws Exception {
        Path jar = ServiceProcess.packagedJar().orElse(null);
        assumeTrue(jar != null, "GracefulShutdownIT needs the packaged jar in target/: run it with mvn verify");
        String heldBody = instances(2_000);

        try (ServiceProcess service = ServiceProcess.start(
                jar,
                Path.of("target", "graceful-shutdown-it.log"),
                "--logging.structured.format.console=ecs",
                "--logging.level.org.springframework.boot.availability=debug",
                "--logging.level.dev.onnxserving.requests=debug")) {
            service.awaitReady(Duration.ofSeconds(120));
            Set<String> served = readyVersions(service);

            HeldRequest held = HeldRequest.start(service.port(), "/models/iris/predict", "held-in-flight", heldBody);
            long sigterm;
            long listenerClosed;
            HeldRequest.Response heldResponse;
            List<Outcome> outcomes;
            boolean exited;
            try (PredictionLoad load =
                    PredictionLoad.start(service.uri("/models/iris/predict"), instances(1), 4, 50_000, 1_000)) {
                assertThat(load.awaitSuccesses(Duration.ofSeconds(60)))
                        .as("the service answers under load before SIGTERM")
                        .isTrue();

                sigterm = System.nanoTime();
                // SIGTERM, as Kubernetes sends it. Process.destroy() would also close our end of the service's
                // output pipe and lose its shutdown log; the handle only sends the signal.
                assertThat(service.process().toHandle().destroy()).isTrue();
                assertThat(awaitRefusing(service, Duration.ofSeconds(15)))
                        .as("after the drain's grace, new requests get the 503 problem while the held one runs")
                        .isTrue();
                heldResponse = held.finish();
                assertThat(service.awaitListenerClosed(Duration.ofSeconds(15)))
                        .as("the listener closes once the requests in flight have finished")
                        .isTrue();
                listenerClosed = System.nanoTime();

                exited = service.process().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                load.close();
                outcomes = load.outcomes();
            } finally {
                held.close();
            }
            long exitedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);

            assertThat(exited).as("exited within %s of SIGTERM", GRACE).isTrue();
            service.awaitOutputRead(Duration.ofSeconds(10));
            List<JsonNode> events = service.logEvents();
            Map<String, Integer> finishedByService = finishedRequests(events);

            assertThat(heldResponse.status())
                    .as("the request in flight when SIGTERM came is answered: %s", heldResponse.body())
                    .isEqualTo(200);
            assertThat(JSON.readTree(heldResponse.body()).path("predictions").size())
                    .isEqualTo(2_000);
            assertThat(finishedByService).containsEntry("held-in-flight", 200);

            List<String> failures = new ArrayList<>();
            int okAfterSigterm = 0;
            Map<String, Integer> notAccepted = new TreeMap<>();
            for (Outcome outcome : outcomes) {
                boolean accepted = finishedByService.containsKey(outcome.requestId());
                boolean afterSigterm = outcome.endNanos() > sigterm;
                switch (outcome.result()) {
                    case OK -> okAfterSigterm += afterSigterm ? 1 : 0;
                    case REFUSED, CLOSED_WITHOUT_ANSWER -> {
                        if (accepted || !afterSigterm) {
                            failures.add(describe(outcome, accepted, sigterm));
                        } else {
                            notAccepted.merge(outcome.result().name(), 1, Integer::sum);
                        }
                    }
                    case ERROR_STATUS -> {
                        // after the drain's grace the application refuses new requests with a 503 problem; in the
                        // instant between the drain and the listener closing the web server may still answer alone,
                        // and then it too answers 503 in the application's shape, never a 400 or HTML
                        boolean drained = afterSigterm
                                && outcome.status() == 503
                                && outcome.detail() != null
                                && outcome.detail().contains("shutting down");
                        if (drained) {
                            notAccepted.merge(
                                    outcome.answeredByService() ? "503 drained" : "503 from the closing connector",
                                    1,
                                    Integer::sum);
                        } else {
                            failures.add(describe(outcome, accepted, sigterm));
                        }
                    }
                    case TIMED_OUT -> failures.add(describe(outcome, accepted, sigterm));
                }
            }
            long ok = outcomes.stream().filter(isResult(Result.OK)).count();
            System.out.printf(
                    "GracefulShutdownIT: %d requests, %d answered 200 (%d of them after SIGTERM), not accepted"
                            + " after SIGTERM %s, %d failed; listener closed %d ms and process exited %d ms after"
                            + " SIGTERM, exit code %d%n",
                    outcomes.size(),
                    ok,
                    okAfterSigterm,
                    notAccepted,
                    failures.size(),
                    TimeUnit.NANOSECONDS.toMillis(listenerClosed - sigterm),
                    exitedAfter,
                    service.process().exitValue());

            assertThat(failures).as("requests that failed").isEmpty();
            outcomes.stream()
                    .filter(isResult(Result.OK))
                    .forEach(outcome -> assertThat(finishedByService).containsEntry(outcome.requestId(), 200));

            List<String> messages = events.stream()
                    .map(event -> event.path("message").asString())
                    .toList();
            int refusing = indexOf(
                    messages,
                    message -> message.contains("ReadinessState changed") && message.endsWith("REFUSING_TRAFFIC"));
            int commencing = indexOf(messages, message -> message.startsWith("Commencing graceful shutdown"));
            int complete = indexOf(messages, message -> message.equals("Graceful shutdown complete"));
            int firstClosed =
                    indexOf(messages, message -> CLOSING.matcher(message).find());
            assertThat(List.of(refusing, commencing, complete, firstClosed))
                    .as(
                            "readiness REFUSING_TRAFFIC, then the web server drains, then sessions close:%n%s",
                            String.join("\n", messages))
                    .doesNotContain(-1)
                    .isSorted();
            assertThat(messages).noneMatch(message -> message.startsWith("Graceful shutdown aborted"));
            assertThat(closedVersions(messages)).isEqualTo(served);
            assertThat(service.process().exitValue())
                    .as("the JVM's status after shutdown hooks ran on SIGTERM (128 + 15), not a crash")
                    .isIn(0, 143);
        }
    }

    /** Whether a new request on a new connection gets the drain's 503 "shutting down" problem within the limit. */
    private static boolean awaitRefusing(ServiceProcess service, Duration limit) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(service.uri("/v2/health/live"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 503 && response.body().contains("shutting down")) {
                    return true;
                }
            } catch (IOException e) {
                return false; // the listener closed before the held request finished
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static Set<String> readyVersions(ServiceProcess service) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(service.uri("/models"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        Set<String> versions = new TreeSet<>();
        for (JsonNode model : JSON.readTree(response.body())) {
            for (JsonNode version : model.path("versions")) {
                if (version.path("state").asString().equals("READY")) {
                    versions.add(model.path("name").asString() + "/"
                            + version.path("version").asString());
                }
            }
        }
        assertThat(versions).as("models loaded before the test").contains("iris/1", "iris/2");
        return versions;
    }

    /** Request id -> status, from the service's per-request log lines. */
    private static Map<String, Integer> finishedRequests(List<JsonNode> events) {
        return events.stream()
                .filter(event -> event.path("log").path("logger").asString().equals("dev.onnxserving.requests"))
                .filter(event -> event.has("request_id"))
                .collect(Collectors.toMap(
                        event -> event.path("request_id").asString(),
                        event -> event.path("http")
                                .path("response")
                                .path("status_code")
                                .asInt(),
                        (first, second) -> second));
    }

    private static Set<String> closedVersions(List<String> messages) {
        Set<String> closed = new TreeSet<>();
        for (String message : messages) {
            Matcher matcher = CLOSING.matcher(message);
            if (matcher.find()) {
                closed.add(matcher.group(1) + "/" + matcher.group(2));
            }
        }
        return closed;
    }

    private static int indexOf(List<String> messages, Predicate<String> condition) {
        for (int index = 0; index < messages.size(); index++) {
            if (condition.test(messages.get(index))) {
                return index;
            }
        }
        return -1;
    }

    private static Predicate<Outcome> isResult(Result result) {
        return outcome -> outcome.result() == result;
    }

    private static String describe(Outcome outcome, boolean accepted, long sigterm) {
        return outcome.requestId() + " " + outcome.result() + " " + outcome.status() + " ended "
                + TimeUnit.NANOSECONDS.toMillis(outcome.endNanos() - sigterm) + " ms after SIGTERM"
                + (accepted ? ", logged as finished by the service" : "") + ": " + outcome.detail();
    }

    private static String instances(int count) {
        return "{\"instances\": [" + String.join(", ", Collections.nCopies(count, IRIS_ROW)) + "]}";
    }
}
