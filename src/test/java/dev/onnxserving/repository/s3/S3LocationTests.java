package dev.onnxserving.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which s3:// locations and endpoints are accepted, and what a refusal says. */
class S3LocationTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "s3://models/team/iris, models, team/iris, s3://models/team/iris",
        "s3://models/team/iris/, models, team/iris, s3://models/team/iris",
        "S3://models, models, '', s3://models",
        "s3://my.bucket-1/iris, my.bucket-1, iris, s3://my.bucket-1/iris"
    })
    void parsesBucketAndKey(String uri, String bucket, String key, String shown) {
        S3Location location = S3Location.parse(URI.create(uri));

        assertThat(location.bucket()).isEqualTo(bucket);
        assertThat(location.key()).isEqualTo(key);
        assertThat(location).hasToString(shown);
    }

    @Test
    void childrenAndFoldersAreKeyPrefixes() {
        assertThat(S3Location.parse(URI.create("s3://models")).folder()).isEmpty();
        assertThat(S3Location.parse(URI.create("s3://models/team"))
                        .child("iris")
                        .folder())
                .isEqualTo("team/iris/");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "oci://registry/iris",
                "s3:///iris",
                "s3://models:9000/iris",
                "s3://models/a//b",
                "s3://models/iris?versionId=1",
                "/models/iris"
            })
    void refusesWhatIsNotABucketAndPrefix(String uri) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> S3Location.parse(URI.create(uri)))
                .withMessageContaining("s3://bucket/prefix");
    }

    @Test
    void refusesCredentialsInTheLocationWithoutRepeatingThem() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> S3Location.parse(URI.create("s3://AKIAEXAMPLE:topsecret@models/iris")))
                .withMessageContaining("without credentials")
                .withMessageNotContaining("topsecret")
                .withMessageNotContaining("AKIAEXAMPLE");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ftp://minio:21", "minio:9000", "https://user:secret@minio:9000"})
    void refusesEndpointsThatAreNotHttpAddressesWithoutRepeatingCredentials(String endpoint) {
        Duration second = Duration.ofSeconds(1);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new S3SourceProperties(URI.create(endpoint), null, true, second, second, second))
                .withMessageContaining("serving.sources.s3.endpoint")
                .withMessageNotContaining("secret");
    }
}
