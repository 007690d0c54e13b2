package dev.onnxserving.repository.oci;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code Authorization} header for a registry and scope: none until the registry challenges, then the answer to
 * its challenge (a bearer token from its token service, the configured token, or basic credentials), kept per
 * registry and scope until the token expires or the registry refuses it.
 */
final class RegistryAuth {

    private record Cached(String header, Instant expires) {}

    private final Map<String, Cached> headers = new ConcurrentHashMap<>();
    private final CredentialStore credentials;
    private final TokenService tokens;
    private final Clock clock;

    RegistryAuth(CredentialStore credentials, TokenService tokens, Clock clock) {
        this.credentials = credentials;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The header that worked last for this scope, while it is still valid. */
    Optional<String> cached(String registry, String scope) {
        Cached cached = headers.get(key(registry, scope));
        if (cached == null || !clock.instant().isBefore(cached.expires())) {
            return Optional.empty();
        }
        return Optional.of(cached.header());
    }

    /** Answers a challenge; throws {@link Reason#UNAUTHORIZED} when there is nothing to answer it with. */
    String answer(String registry, String scope, Challenge challenge) {
        String header;
        Instant expires;
        if (challenge.isBearer()) {
            Optional<String> configured = credentials.configuredToken();
            if (configured.isPresent()) {
                header = "Bearer " + configured.get();
                expires = Instant.MAX;
            } else {
                TokenService.Grant grant = tokens.fetch(registry, challenge, scope, credentials.forRegistry(registry));
                header = "Bearer " + grant.token();
                expires = grant.expires();
            }
        } else if (challenge.isBasic()) {
            RegistryCredentials basic = credentials
                    .forRegistry(registry)
                    .filter(RegistryCredentials::hasPassword)
                    .orElseThrow(() ->
                            new SourceException(Reason.UNAUTHORIZED, credentials.refusal(registry, Optional.empty())));
            header = basic.basicHeader();
            expires = Instant.MAX;
        } else {
            throw new SourceException(
                    Reason.UNAUTHORIZED,
                    "registry " + registry + " asks for '" + challenge.scheme()
                            + "' authentication; only bearer and basic are supported");
        }
        headers.put(key(registry, scope), new Cached(header, expires));
        return header;
    }

    /** The registry refused what was sent: the next request starts anonymous again. */
    void forget(String registry, String scope) {
        headers.remove(key(registry, scope));
    }

    /** Why the registry refused after its challenge was answered. */
    String refusal(String registry) {
        if (credentials.configuredToken().isPresent()) {
            return "registry " + registry + " refused the token of serving.sources.oci.token";
        }
        return credentials.refusal(registry, credentials.forRegistry(registry));
    }

    private static String key(String registry, String scope) {
        return registry + " " + scope;
    }
}
