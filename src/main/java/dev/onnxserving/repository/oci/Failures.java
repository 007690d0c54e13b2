package dev.onnxserving.repository.oci;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns what the network and the registry do into {@link SourceException}s, each with one reason. */
final class Failures {

    private static final int ERROR_BODY_LIMIT = 8 * 1024;

    private Failures() {}

    /** A transport failure while {@code what}. */
    static SourceException of(IOException failure, String what) {
        if (failure instanceof HttpConnectTimeoutException) {
            return new SourceException(Reason.TIMEOUT, what + ": connecting timed out", failure);
        }
        if (failure instanceof HttpTimeoutException) {
            return new SourceException(Reason.TIMEOUT, what + ": timed out (" + failure.getMessage() + ")", failure);
        }
        if (failure instanceof TimedBodyStream.BodyTooLongException) {
            return new SourceException(Reason.INVALID, what + ": " + failure.getMessage(), failure);
        }
        if (causedBy(failure, SSLException.class)) {
            return new SourceException(
                    Reason.UNREACHABLE, what + ": TLS failed (" + failure.getMessage() + ")", failure);
        }
        if (causedBy(failure, UnresolvedAddressException.class) || causedBy(failure, UnknownHostException.class)) {
            return new SourceException(Reason.UNREACHABLE, what + ": unknown host", failure);
        }
        if (failure instanceof ConnectException) {
            return new SourceException(Reason.UNREACHABLE, what + ": cannot connect (connection refused)", failure);
        }
        return new SourceException(
                Reason.UNREACHABLE, what + ": the connection failed (" + failure.getMessage() + ")", failure);
    }

    static SourceException interrupted(String what) {
        Thread.currentThread().interrupt();
        return new SourceException(Reason.UNREACHABLE, what + ": interrupted");
    }

    /** An answer other than success (and other than an authentication challenge already handled). */
    static SourceException of(RegistryResponse response, String what, JsonMapper json) {
        String detail = errorDetail(response, json);
        String message = what + ": the registry answered " + response.status() + detail;
        int status = response.status();
        if (status == 401 || status == 403) {
            return new SourceException(Reason.UNAUTHORIZED, message);
        }
        if (status == 404 || detail.contains("_UNKNOWN")) {
            return new SourceException(Reason.NOT_FOUND, message);
        }
        if (status >= 500 || status == 429) {
            return new SourceException(Reason.FAILED, message);
        }
        return new SourceException(Reason.INVALID, message);
    }

    /** The distribution API's {@code {"errors":[{"code","message"}]}}, as {@code " (CODE: message)"}, else empty. */
    private static String errorDetail(RegistryResponse response, JsonMapper json) {
        try {
            byte[] body = response.bytes(ERROR_BODY_LIMIT);
            JsonNode error = json.readTree(new String(body, StandardCharsets.UTF_8))
                    .path("errors")
                    .path(0);
            String code = error.path("code").asString("");
            String message = error.path("message").asString("");
            if (code.isEmpty()) {
                return "";
            }
            String text = message.isEmpty() ? code : code + ": " + message;
            return " (" + (text.length() > 200 ? text.substring(0, 200) + "..." : text) + ")";
        } catch (IOException | JacksonException e) {
            return "";
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> kind) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (kind.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
