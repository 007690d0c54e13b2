package dev.onnxserving.repository.oci;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * GETs from a registry's distribution API: anonymous first, answering a {@code 401} challenge once, following
 * redirects to storage (the {@code Authorization} header only to the registry itself), and turning every answer but
 * success into a {@link SourceException}. Never retries beyond the one answered challenge.
 */
final class RegistryClient {

    private static final int MAX_REDIRECTS = 5;

    private final Exchange exchange;
    private final RegistryAuth auth;
    private final JsonMapper json;

    RegistryClient(Exchange exchange, RegistryAuth auth, JsonMapper json) {
        this.exchange = exchange;
        this.auth = auth;
        this.json = json;
    }

    /** An address at the registry: {@code pathAndQuery} starts with {@code /v2/}. */
    URI uri(String registry, String pathAndQuery) {
        return exchange.base(registry).resolve(pathAndQuery);
    }

    JsonMapper json() {
        return json;
    }

    /** A successful answer to a GET of {@code uri} at {@code registry} with the access {@code scope}. */
    RegistryResponse get(String registry, String scope, URI uri, String accept, String what) {
        Optional<String> authorization = auth.cached(registry, scope);
        RegistryResponse response = send(uri, accept, authorization, what);
        if (response.status() == 401) {
            response.close();
            Challenge challenge = Challenge.select(response.headers().allValues("www-authenticate"))
                    .orElseThrow(() -> new SourceException(
                            Reason.UNAUTHORIZED,
                            what + ": registry " + registry + " answered 401 without a bearer or basic challenge"));
            authorization = Optional.of(auth.answer(registry, scope, challenge));
            response = send(uri, accept, authorization, what);
            if (response.status() == 401) {
                response.close();
                auth.forget(registry, scope);
                throw new SourceException(Reason.UNAUTHORIZED, what + ": " + auth.refusal(registry));
            }
        }
        for (int redirects = 0; response.isRedirect(); redirects++) {
            URI next = target(response, what);
            response.close();
            if (redirects == MAX_REDIRECTS) {
                throw new SourceException(Reason.INVALID, what + ": more than " + MAX_REDIRECTS + " redirects");
            }
            response = send(next, accept, sameOrigin(uri, next) ? authorization : Optional.empty(), what);
        }
        if (!response.isSuccess()) {
            throw Failures.of(response, what, json);
        }
        return response;
    }

    private RegistryResponse send(URI uri, String accept, Optional<String> authorization, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Accept", accept);
        authorization.ifPresent(header -> request.header("Authorization", header));
        return exchange.send(request, what);
    }

    private static URI target(RegistryResponse response, String what) {
        String location = response.header("location").orElseThrow();
        try {
            URI next = response.uri().resolve(location);
            if ("http".equals(next.getScheme()) || "https".equals(next.getScheme())) {
                return next;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new SourceException(Reason.INVALID, what + ": the registry redirected to an unusable address");
    }

    private static boolean sameOrigin(URI first, URI second) {
        return Objects.equals(first.getScheme(), second.getScheme())
                && Objects.equals(first.getHost(), second.getHost())
                && first.getPort() == second.getPort();
    }
}
