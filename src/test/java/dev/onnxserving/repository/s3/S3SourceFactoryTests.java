package dev.onnxserving.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The factory's one client: built on first use, closed once when the application stops; its settings bound. */
class S3SourceFactoryTests {

    /** Counts what is built and closed; any S3 call on it would fail, and none is made. */
    static final class CountingClient implements S3Client {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(S3SourceProperties.class)
    @Import(S3SourceFactory.class)
    static class WithTheFactory {}

    private final ApplicationContextRunner application =
            new ApplicationContextRunner().withUserConfiguration(WithTheFactory.class);

    @Test
    void theClientIsBuiltOnFirstUseAndClosedOnceWhenTheApplicationStops() {
        CountingClient client = new CountingClient();
        AtomicInteger built = new AtomicInteger();
        S3SourceFactory factory = new S3SourceFactory(() -> {
            built.incrementAndGet();
            return client;
        });
        new ApplicationContextRunner()
                .withBean(S3SourceFactory.class, () -> factory)
                .run(context -> {
                    assertThat(built).hasValue(0);
                    factory.model(URI.create("s3://models/iris"));
                    factory.model(URI.create("s3://models/other"));
                    assertThat(built).hasValue(1);
                });

        assertThat(client.closes).hasValue(1);
        factory.destroy();
        assertThat(client.closes).hasValue(1);
        assertThatIllegalStateException().isThrownBy(() -> factory.model(URI.create("s3://models/iris")));
    }

    @Test
    void anApplicationWithoutS3SourcesNeverBuildsAClient() {
        CountingClient client = new CountingClient();
        S3SourceFactory factory = new S3SourceFactory(() -> client);
        factory.destroy();
        assertThat(client.closes).hasValue(0);
    }

    @Test
    void isAlwaysPresentWithDefaultsThatBoundEveryCall() {
        application.run(context -> {
            assertThat(context).hasSingleBean(S3SourceFactory.class);
            assertThat(context.getBean(S3SourceFactory.class).scheme()).isEqualTo("s3");
            S3SourceProperties properties = context.getBean(S3SourceProperties.class);
            assertThat(properties.endpoint()).isNull();
            assertThat(properties.pathStyleAccess()).isFalse();
            assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.readTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.callTimeout()).isEqualTo(Duration.ofSeconds(60));
        });
    }

    @Test
    void bindsAnEndpointOverrideWithItsRegionAndPathStyle() {
        application
                .withPropertyValues(
                        "serving.sources.s3.endpoint=http://127.0.0.1:9000",
                        "serving.sources.s3.region=eu-central-1",
                        "serving.sources.s3.path-style-access=true",
                        "serving.sources.s3.read-timeout=3s")
                .run(context -> {
                    S3SourceProperties properties = context.getBean(S3SourceProperties.class);
                    assertThat(properties.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
                    assertThat(S3Clients.region(properties)).isEqualTo(Region.EU_CENTRAL_1);
                    assertThat(properties.pathStyleAccess()).isTrue();
                    assertThat(properties.readTimeout()).isEqualTo(Duration.ofSeconds(3));
                });
    }

    @Test
    void refusesAnEndpointThatIsNotAnHttpAddressAtStart() {
        application
                .withPropertyValues("serving.sources.s3.endpoint=minio:9000")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("serving.sources.s3.endpoint must be an http:// or https:// address"));
    }

    @Test
    void refusesATimeoutOfZero() {
        application
                .withPropertyValues("serving.sources.s3.read-timeout=0s")
                .run(context -> assertThat(context).hasFailed());
    }
}
