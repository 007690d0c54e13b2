package dev.onnxserving.repository.oci;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a registry is told to prove who is pulling: a user name and password, or an identity (refresh) token.
 *
 * @param username the user name, or null with an identity token alone
 * @param password the password, or null
 * @param identityToken a refresh token that the registry's token service exchanges for access tokens, or null
 * @param origin where they came from ({@code /root/.docker/config.json}, {@code serving.sources.oci.username}), for
 *     messages; never the secret itself
 */
record RegistryCredentials(String username, String password, String identityToken, String origin) {

    boolean hasPassword() {
        return username != null && password != null;
    }

    String basicHeader() {
        String pair = username + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "credentials from " + origin;
    }
}
