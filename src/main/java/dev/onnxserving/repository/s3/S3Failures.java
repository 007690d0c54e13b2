package dev.onnxserving.repository.s3;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What the SDK and the network raise, as a {@link SourceException} with its {@link Reason}. Refused credentials are
 * reported without the SDK's exception and its message, so nothing the server echoes about them travels on.
 */
final class S3Failures {

    private static final Set<String> REFUSED_CREDENTIALS = Set.of(
            "AccessDenied",
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "ExpiredToken",
            "InvalidToken",
            "TokenRefreshRequired",
            "AllAccessDisabled");
    private static final Set<String> MISSING = Set.of("NoSuchBucket", "NoSuchKey", "NotFound");

    private S3Failures() {}

    /**
     * @param what what was asked, with the location: {@code "listing s3://bucket/models/iris"}
     */
    static SourceException of(String what, SdkException failure) {
        if (failure instanceof AwsServiceException service) {
            return answered(what, service);
        }
        if (failure instanceof ApiCallAttemptTimeoutException || failure instanceof ApiCallTimeoutException) {
            return new SourceException(
                    Reason.TIMEOUT, what + ": no answer within serving.sources.s3.call-timeout", failure);
        }
        IOException network = networkCause(failure);
        if (network != null) {
            return of(what, network);
        }
        String message = String.valueOf(failure.getMessage());
        if (message.startsWith("Unable to load credentials")) {
            return new SourceException(
                    Reason.UNAUTHORIZED,
                    what + ": no credentials were found by the AWS default chain (environment, system properties,"
                            + " profile, web identity, container, instance)");
        }
        return new SourceException(Reason.INVALID, what + ": " + message, failure);
    }

    /** A failure of the connection itself: a timeout, or the storage could not be reached or hung up. */
    static SourceException of(String what, IOException failure) {
        if (failure instanceof InterruptedIOException) {
            return new SourceException(
                    Reason.TIMEOUT,
                    what + ": no answer within serving.sources.s3.connect-timeout / read-timeout (" + failure + ")",
                    failure);
        }
        return new SourceException(
                Reason.UNREACHABLE, what + ": the storage could not be reached (" + failure + ")", failure);
    }

    private static SourceException answered(String what, AwsServiceException failure) {
        int status = failure.statusCode();
        // a HEAD's error answer has no body, so no code
        String code =
                failure.awsErrorDetails() == null || failure.awsErrorDetails().errorCode() == null
                        ? ""
                        : failure.awsErrorDetails().errorCode();
        String answer = ("HTTP " + status + " " + code).strip();
        if (status == 401 || status == 403 || REFUSED_CREDENTIALS.contains(code)) {
            return new SourceException(
                    Reason.UNAUTHORIZED, what + ": the storage refused the credentials (" + answer + ")");
        }
        if (status == 404 || MISSING.contains(code)) {
            return new SourceException(Reason.NOT_FOUND, what + ": not found (" + answer + ")", failure);
        }
        if (status >= 500) {
            return new SourceException(Reason.FAILED, what + ": the storage failed (" + answer + ")", failure);
        }
        return new SourceException(
                Reason.INVALID, what + ": the storage refused the request (" + answer + ")", failure);
    }

    private static IOException networkCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io) {
                return io;
            }
        }
        return null;
    }
}
