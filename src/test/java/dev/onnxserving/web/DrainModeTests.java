package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.OnnxServingApplication;
import dev.onnxserving.testing.TestRepository;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Shutdown on raw keep-alive connections: once readiness is down, answers close their connections; an idle
 * connection stays open through the grace; after it a new request gets a 503 problem, and the request already
 * running gets its own answer before the server stops.
 */
class DrainModeTests {

    private static final String LIVE = "GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    private static final String HELD_BODY = "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}";

    @Test
    void readinessDownClosesConnectionsAfterAGraceThenRefusesWith503AndFinishesRunningRequests() throws Exception {
        // command-line arguments, not builder defaults: application.yaml would override those
        ConfigurableApplicationContext app = new SpringApplicationBuilder(OnnxServingApplication.class)
                .run(
                        "--server.port=0",
                        "--serving.repository.path="
                                + TestRepository.create("onnx-serving-drain").root(),
                        "--serving.repository.watch=false",
                        "--serving.shutdown.drain-grace=3s");
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        DrainMode drain = app.getBean(DrainMode.class);
        Thread closing = new Thread(app::close, "closing-the-application");
        try (RawHttp idle = new RawHttp(port);
                RawHttp told = new RawHttp(port);
                RawHttp held = new RawHttp(port)) {
            assertThat(idle.exchange(LIVE).header("Connection")).isNull();
            assertThat(told.exchange(LIVE).header("Connection")).isNull();
            held.send("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + HELD_BODY.length() + "\r\n\r\n" + HELD_BODY.substring(0, 10));
            await(() -> drain.inFlight() == 1, "the held request is being served");

            closing.start();
            await(drain::draining, "readiness went down");
            RawHttp.Answer duringGrace = told.exchange(LIVE);
            assertThat(drain.refusing()).as("still within the grace").isFalse();
            assertThat(duringGrace.status()).isEqualTo(200);
            assertThat(duringGrace.header("Connection")).isEqualTo("close");
            assertThat(told.closedByServer()).isTrue();

            await(drain::refusing, "the grace ended");
            RawHttp.Answer refused = idle.exchange(LIVE);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.header("Content-Type")).startsWith("application/json");
            assertThat(refused.json().get("error").asString()).contains("shutting down");

            held.send(HELD_BODY.substring(10));
            RawHttp.Answer finished = held.read();
            assertThat(finished.status()).as(finished.body()).isNotEqualTo(503).isLessThan(500);
            assertThat(finished.header("Connection")).isEqualTo("close");
        } finally {
            closing.join(60_000);
        }
        assertThat(closing.isAlive()).as("the application stopped").isFalse();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until " + what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
