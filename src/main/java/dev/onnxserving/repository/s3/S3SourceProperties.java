package dev.onnxserving.repository.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How {@code s3://} model sources reach their storage ({@code serving.sources.s3.*}). Credentials are not here: they
 * come from the AWS SDK's default chain only (environment, system properties, profile, web identity, container,
 * instance).
 *
 * @param endpoint the storage's address when it is not AWS S3 ({@code https://minio.example:9000}); plain HTTP only
 *     when it says {@code http://}; empty for AWS S3, over HTTPS
 * @param region the signing region; when empty, the SDK's region chain ({@code AWS_REGION}, profile, instance), and
 *     us-east-1 when that finds none
 * @param pathStyleAccess address buckets as {@code <endpoint>/<bucket>/key} instead of {@code <bucket>.<endpoint>/key}
 *     (most MinIO, Ceph and S3Proxy setups need this)
 * @param connectTimeout how long opening a connection may take
 * @param readTimeout how long the storage may stay silent while a call's answer or a download's bytes are awaited
 * @param callTimeout how long one call may take until its answer starts (a listing page, a file's headers); the
 *     download of a file's bytes after that is bounded by {@code read-timeout} between reads, so large files work
 */
@Validated
@ConfigurationProperties("serving.sources.s3")
public record S3SourceProperties(
        URI endpoint,
        String region,
        @DefaultValue("false") boolean pathStyleAccess,
        @DefaultValue("5s") @DurationMin(millis = 1) Duration connectTimeout,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration readTimeout,
        @DefaultValue("60s") @DurationMin(millis = 1) Duration callTimeout) {

    public S3SourceProperties {
        if (endpoint != null) {
            String scheme =
                    endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
                throw new IllegalArgumentException("serving.sources.s3.endpoint must be an http:// or https:// address"
                        + " such as https://minio.example:9000, was '" + endpoint + "'");
            }
            if (endpoint.getRawUserInfo() != null) {
                throw new IllegalArgumentException("serving.sources.s3.endpoint must not carry credentials:"
                        + " they come from the AWS default credential chain");
            }
        }
        region = region == null || region.isBlank() ? null : region.strip();
    }
}
