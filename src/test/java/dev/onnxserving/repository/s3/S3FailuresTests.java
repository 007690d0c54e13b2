package dev.onnxserving.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Every answer and network failure the SDK reports maps to one reason, with what was asked in the message. */
class S3FailuresTests {

    @ParameterizedTest(name = "HTTP {0} {1} is {2}")
    @CsvSource({
        "403, AccessDenied, UNAUTHORIZED",
        "403, InvalidAccessKeyId, UNAUTHORIZED",
        "403, SignatureDoesNotMatch, UNAUTHORIZED",
        "400, ExpiredToken, UNAUTHORIZED",
        "401, , UNAUTHORIZED",
        "404, NoSuchBucket, NOT_FOUND",
        "404, NoSuchKey, NOT_FOUND",
        "404, , NOT_FOUND",
        "500, InternalError, FAILED",
        "503, SlowDown, FAILED",
        "501, NotImplemented, FAILED",
        "400, InvalidArgument, INVALID",
        "301, PermanentRedirect, INVALID"
    })
    void answersMapByStatusAndCode(int status, String code, Reason reason) {
        S3Exception answer = (S3Exception) S3Exception.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage("details " + code)
                        .build())
                .message("details " + code)
                .build();

        SourceException failure = S3Failures.of("listing s3://bucket/iris", answer);

        assertThat(failure.reason()).isEqualTo(reason);
        assertThat(failure).hasMessageStartingWith("listing s3://bucket/iris: ").hasMessageContaining("HTTP " + status);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void clientFailuresMapByTheirCause(String name, SdkException failure, Reason reason) {
        assertThat(S3Failures.of("listing s3://bucket/iris", failure).reason()).isEqualTo(reason);
    }

    static Stream<Arguments> clientFailuresMapByTheirCause() {
        return Stream.of(
                Arguments.of(
                        "connection refused", wrapping(new ConnectException("Connection refused")), Reason.UNREACHABLE),
                Arguments.of("unknown host", wrapping(new UnknownHostException("minio.invalid")), Reason.UNREACHABLE),
                Arguments.of("connection reset", wrapping(new IOException("Connection reset")), Reason.UNREACHABLE),
                Arguments.of("read timed out", wrapping(new SocketTimeoutException("Read timed out")), Reason.TIMEOUT),
                Arguments.of(
                        "call attempt timed out",
                        ApiCallAttemptTimeoutException.builder()
                                .message("timed out")
                                .build(),
                        Reason.TIMEOUT),
                Arguments.of(
                        "no credentials anywhere",
                        SdkClientException.create("Unable to load credentials from any of the providers in the chain"),
                        Reason.UNAUTHORIZED),
                Arguments.of(
                        "anything else", SdkClientException.create("Unable to unmarshall response"), Reason.INVALID));
    }

    private static SdkException wrapping(IOException cause) {
        return SdkClientException.create("Unable to execute HTTP request: " + cause.getMessage(), cause);
    }
}
