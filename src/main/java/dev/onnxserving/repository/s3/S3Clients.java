package dev.onnxserving.repository.s3;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the S3 client from {@code serving.sources.s3.*}: the JDK's HTTP client with the connect and read timeouts,
 * a per-attempt call timeout, no SDK retries (the caller backs off), response checksums validated where a download
 * asks for them (not by default: many S3-compatible servers refuse the header), the endpoint and path-style access as
 * configured.
 */
final class S3Clients {

    private static final Logger log = LoggerFactory.getLogger(S3Clients.class);
    private static final Region FALLBACK_REGION = Region.US_EAST_1;

    private S3Clients() {}

    /** Credentials from the AWS SDK's default chain, which the client owns and closes with itself. */
    static S3Client create(S3SourceProperties properties) {
        return builder(properties).build();
    }

    static S3Client create(S3SourceProperties properties, AwsCredentialsProvider credentials) {
        return builder(properties).credentialsProvider(credentials).build();
    }

    private static S3ClientBuilder builder(S3SourceProperties properties) {
        Region region = region(properties);
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(properties.connectTimeout())
                        .socketTimeout(properties.readTimeout()))
                .overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(properties.callTimeout())
                        .apiCallTimeout(properties.callTimeout()))
                // only reads: no request checksums, which the SDK would otherwise add even to GETs and which
                // S3-compatible servers without checksum support refuse (HTTP 501)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .forcePathStyle(properties.pathStyleAccess())
                .region(region);
        if (properties.endpoint() != null) {
            builder.endpointOverride(properties.endpoint());
        } else {
            // a bucket in another region than the one found is still reached
            builder.crossRegionAccessEnabled(true);
        }
        log.info(
                "S3 sources: {}, region {}, path-style access {}",
                properties.endpoint() == null ? "AWS S3" : properties.endpoint(),
                region,
                properties.pathStyleAccess());
        return builder;
    }

    /** The configured region, else the SDK's region chain, else us-east-1 (any region serves an endpoint override). */
    static Region region(S3SourceProperties properties) {
        if (properties.region() != null) {
            return Region.of(properties.region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException none) {
            return FALLBACK_REGION;
        }
    }
}
