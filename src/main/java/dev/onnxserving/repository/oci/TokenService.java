package dev.onnxserving.repository.oci;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks a registry's token service (the realm of its bearer challenge) for an access token: a GET with the service
 * and scope and basic credentials when there are some, or a POST exchanging an identity token.
 */
final class TokenService {

    /** A token without {@code expires_in} lasts 60 s (the distribution token spec's default). */
    private static final long DEFAULT_LIFETIME_SECONDS = 60;

    private static final int TOKEN_BODY_LIMIT = 1024 * 1024;

    /** An access token and when to stop using it. */
    record Grant(String token, Instant expires) {
        @Override
        public String toString() {
            return "Grant[expires=" + expires + "]";
        }
    }

    private final Exchange exchange;
    private final CredentialStore credentials;
    private final JsonMapper json;
    private final Clock clock;

    TokenService(Exchange exchange, CredentialStore credentials, JsonMapper json, Clock clock) {
        this.exchange = exchange;
        this.credentials = credentials;
        this.json = json;
        this.clock = clock;
    }

    Grant fetch(String registry, Challenge challenge, String scope, Optional<RegistryCredentials> using) {
        String what = "getting a token for " + scope + " from registry " + registry;
        URI realm = realm(challenge, what);
        if (using.isPresent() && "http".equals(realm.getScheme()) && !exchange.isPlainHttp(realm.getRawAuthority())) {
            throw new SourceException(
                    Reason.INVALID,
                    what + ": its token service " + realm + " is plain HTTP and not listed in"
                            + " serving.sources.oci.plain-http; credentials are not sent there");
        }
        String service = challenge.parameter("service").orElse(registry);
        String requested = challenge.parameter("scope").orElse(scope);
        RegistryResponse response = exchange.send(request(realm, service, requested, using), what);
        if (response.status() == 401 || response.status() == 403) {
            response.close();
            throw new SourceException(Reason.UNAUTHORIZED, what + ": " + credentials.refusal(registry, using));
        }
        if (!response.isSuccess()) {
            throw Failures.of(response, what, json);
        }
        return grant(response, what);
    }

    private static URI realm(Challenge challenge, String what) {
        String realm = challenge.parameter("realm").orElse("");
        try {
            URI uri = new URI(realm);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // refused below
        }
        throw new SourceException(
                Reason.INVALID, what + ": the bearer challenge's realm '" + realm + "' is not an http(s) address");
    }

    private static HttpRequest.Builder request(
            URI realm, String service, String scope, Optional<RegistryCredentials> using) {
        String query = "service=" + encode(service) + "&scope=" + encode(scope);
        Optional<String> identityToken = using.map(RegistryCredentials::identityToken);
        if (identityToken.isPresent()) {
            String form = "grant_type=refresh_token&client_id=onnx-serving&" + query + "&refresh_token="
                    + encode(identityToken.get());
            return HttpRequest.newBuilder(realm)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        }
        String separator = realm.getRawQuery() == null ? "?" : "&";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realm + separator + query));
        using.filter(RegistryCredentials::hasPassword)
                .ifPresent(basic -> request.header("Authorization", basic.basicHeader()));
        return request.GET();
    }

    private Grant grant(RegistryResponse response, String what) {
        JsonNode answer;
        try {
            answer = json.readTree(new String(response.bytes(TOKEN_BODY_LIMIT), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw Failures.of(e, what);
        } catch (JacksonException e) {
            throw new SourceException(Reason.INVALID, what + ": the token service's answer is not JSON");
        }
        String token = answer.path("token").asString("");
        if (token.isEmpty()) {
            token = answer.path("access_token").asString("");
        }
        if (token.isEmpty()) {
            throw new SourceException(
                    Reason.INVALID, what + ": the token service's answer has neither 'token' nor 'access_token'");
        }
        long lifetime = answer.path("expires_in").asLong(DEFAULT_LIFETIME_SECONDS);
        long usable = Math.max(1, lifetime - Math.min(30, lifetime / 4));
        return new Grant(token, clock.instant().plusSeconds(usable));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
