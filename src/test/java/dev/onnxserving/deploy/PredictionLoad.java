package dev.onnxserving.deploy;

import dev.onnxserving.testing.Http;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop clients on loopback, each sending one prediction after another over a kept-alive connection until it
 * is stopped, has sent its quota, or finds the listener gone (a real client would then move to another replica).
 * Records how every request ended, by the request id it sent.
 */
final class PredictionLoad implements AutoCloseable {

    enum Result {
        OK,
        /** the connection was refused: the listener was closed */
        REFUSED,
        /** the connection closed before any answer */
        CLOSED_WITHOUT_ANSWER,
        /** an answer other than 200 */
        ERROR_STATUS,
        TIMED_OUT
    }

    /**
     * @param answeredByService whether the answer went through the application (it echoes {@code X-Request-Id});
     *     an answer without it came from the web server alone, before the request reached the application
     */
    record Outcome(
            String requestId,
            long startNanos,
            long endNanos,
            Result result,
            int status,
            String detail,
            boolean answeredByService) {}

    private final String path;
    private final String body;
    private final int quotaPerClient;
    private final Http http;
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final CountDownLatch successes;
    private volatile boolean running = true;

    private PredictionLoad(URI uri, String body, int quotaPerClient, int awaitedSuccesses) {
        this.path = uri.getPath();
        this.http = new Http(uri.getPort(), Duration.ofSeconds(30));
        this.body = body;
        this.quotaPerClient = quotaPerClient;
        this.successes = new CountDownLatch(awaitedSuccesses);
    }

    static PredictionLoad start(URI uri, String body, int clients, int quotaPerClient, int awaitedSuccesses) {
        PredictionLoad load = new PredictionLoad(uri, body, quotaPerClient, awaitedSuccesses);
        for (int client = 0; client < clients; client++) {
            int number = client;
            Thread worker = new Thread(() -> load.run(number), "load-" + client);
            worker.setDaemon(true);
            load.workers.add(worker);
            worker.start();
        }
        return load;
    }

    boolean awaitSuccesses(Duration limit) throws InterruptedException {
        return successes.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Stops sending and waits for the requests in progress to end. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(40));
        }
    }

    private void run(int clientNumber) {
        for (int sequence = 0; running && sequence < quotaPerClient; sequence++) {
            String id = "load-" + clientNumber + "-" + sequence;
            long start = System.nanoTime();
            Outcome outcome;
            try {
                Http.Response response = http.post(path, body, "X-Request-Id", id);
                boolean ok = response.status() == 200;
                String detail = ok
                        ? ""
                        : "body of " + response.text().length() + " chars, connection: "
                                + response.headers().firstValue("Connection").orElse("-") + ", "
                                + response.text();
                outcome = new Outcome(
                        id,
                        start,
                        System.nanoTime(),
                        ok ? Result.OK : Result.ERROR_STATUS,
                        response.status(),
                        detail,
                        response.header("X-Request-Id") != null);
            } catch (UncheckedIOException failed) {
                Result result = failed.getCause() instanceof ConnectException
                        ? Result.REFUSED
                        : failed.getCause() instanceof HttpTimeoutException
                                ? Result.TIMED_OUT
                                : Result.CLOSED_WITHOUT_ANSWER;
                outcome =
                        new Outcome(id, start, System.nanoTime(), result, 0, String.valueOf(failed.getCause()), false);
            } catch (IllegalStateException interrupted) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                throw interrupted;
            }
            outcomes.add(outcome);
            if (outcome.result() == Result.OK) {
                successes.countDown();
            }
            if (outcome.result() == Result.REFUSED) {
                return;
            }
        }
    }
}
