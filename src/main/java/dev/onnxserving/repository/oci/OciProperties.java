package dev.onnxserving.repository.oci;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How OCI registries are reached ({@code serving.sources.oci.*}).
 *
 * @param plainHttp registries ({@code host:port}, as in the location) reached over plain HTTP; every other one over
 *     HTTPS
 * @param configFile a docker {@code config.json} whose {@code auths} hold the registries' credentials; unset:
 *     {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}; a missing file means no credentials
 * @param username a user name for every registry (with {@code password}), in place of {@code config.json}
 * @param password the password or access token for {@code username}
 * @param token a registry bearer token sent as is to every registry that asks for one
 * @param connectTimeout how long connecting to a registry may take
 * @param readTimeout how long a registry may take to answer, and to send the next bytes of a body
 */
@Validated
@ConfigurationProperties("serving.sources.oci")
public record OciProperties(
        @DefaultValue List<String> plainHttp,
        Path configFile,
        String username,
        String password,
        String token,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration connectTimeout,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration readTimeout) {

    public OciProperties {
        plainHttp = List.copyOf(plainHttp);
    }

    /** The {@code config.json} to read credentials from. */
    Path dockerConfig() {
        if (configFile != null) {
            return configFile;
        }
        String dockerConfig = System.getenv("DOCKER_CONFIG");
        if (dockerConfig != null && !dockerConfig.isBlank()) {
            return Path.of(dockerConfig, "config.json");
        }
        return Path.of(System.getProperty("user.home"), ".docker", "config.json");
    }

    @Override
    public String toString() {
        return "OciProperties[plainHttp=" + plainHttp + ", configFile=" + configFile + ", username=" + username
                + ", password=" + (password == null ? null : "***") + ", token=" + (token == null ? null : "***")
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }
}
