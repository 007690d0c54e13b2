package dev.onnxserving.repository.oci;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds a registry's credentials: the configured user name and password, else the registry's entry in the docker
 * {@code config.json}'s {@code auths} (its {@code auth} field, or {@code username} and {@code password}, or {@code
 * identitytoken}). The file is read on every look-up, so a rotated Secret is picked up; credential helpers are not
 * run.
 */
final class CredentialStore {

    private final OciProperties properties;
    private final JsonMapper json;

    CredentialStore(OciProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
    }

    /** The configured bearer token, sent as is to a registry that asks for a bearer token. */
    Optional<String> configuredToken() {
        return Optional.ofNullable(properties.token()).filter(token -> !token.isBlank());
    }

    Optional<RegistryCredentials> forRegistry(String registry) {
        if (properties.username() != null && !properties.username().isBlank()) {
            return Optional.of(new RegistryCredentials(
                    properties.username(), properties.password(), null, "serving.sources.oci.username"));
        }
        return fromConfigFile(properties.dockerConfig(), registry);
    }

    /** Why a registry said no, naming where the credentials came from and never what they are. */
    String refusal(String registry, Optional<RegistryCredentials> credentials) {
        return credentials
                .map(used -> "registry " + registry + " refused the " + used)
                .orElse("registry " + registry + " needs credentials and none are configured for it: set"
                        + " serving.sources.oci.username and password, or add it to the auths of "
                        + properties.dockerConfig());
    }

    private Optional<RegistryCredentials> fromConfigFile(Path file, String registry) {
        JsonNode auths;
        try {
            auths = json.readTree(Files.readString(file, StandardCharsets.UTF_8))
                    .path("auths");
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException | JacksonException e) {
            throw new SourceException(
                    Reason.INVALID, "cannot read the registry credentials file " + file + ": not readable JSON");
        }
        for (Map.Entry<String, JsonNode> entry : auths.properties()) {
            if (hostOf(entry.getKey()).equals(registry)) {
                return Optional.of(credentials(entry.getValue(), file + " (auths." + entry.getKey() + ")"));
            }
        }
        return Optional.empty();
    }

    private static RegistryCredentials credentials(JsonNode entry, String origin) {
        String identityToken = text(entry, "identitytoken");
        String auth = text(entry, "auth");
        if (auth != null) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new SourceException(Reason.INVALID, "the 'auth' field of " + origin + " is not base64");
            }
            int colon = pair.indexOf(':');
            if (colon < 0) {
                throw new SourceException(
                        Reason.INVALID, "the 'auth' field of " + origin + " is not base64 of 'user:password'");
            }
            return new RegistryCredentials(pair.substring(0, colon), pair.substring(colon + 1), identityToken, origin);
        }
        return new RegistryCredentials(text(entry, "username"), text(entry, "password"), identityToken, origin);
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.path(field);
        return value.isString() && !value.stringValue().isEmpty() ? value.stringValue() : null;
    }

    /** {@code https://registry.example:5000/v1/} and {@code registry.example:5000} name the same registry. */
    static String hostOf(String key) {
        String host = key.trim().toLowerCase(Locale.ROOT).replaceFirst("^[a-z]+://", "");
        int slash = host.indexOf('/');
        return slash < 0 ? host : host.substring(0, slash);
    }
}
