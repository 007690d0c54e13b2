package dev.onnxserving.repository.s3;

import java.net.URI;
import java.util.Locale;

/**
 * A place in a bucket: {@code s3://bucket/key}, the key without leading or trailing slashes ({@code ""} for the
 * bucket's root).
 */
record S3Location(String bucket, String key) {

    static S3Location parse(URI uri) {
        String expected = "an s3 location is s3://bucket/prefix";
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("s3")) {
            throw new IllegalArgumentException(expected + ", was '" + uri + "'");
        }
        if (uri.getRawUserInfo() != null) {
            // said without the URI: what stands before the @ is likely a credential
            throw new IllegalArgumentException(
                    expected + " without credentials in it: they come from the AWS default credential chain");
        }
        String bucket = uri.getRawAuthority();
        if (bucket == null || bucket.isEmpty() || bucket.contains(":")) {
            throw new IllegalArgumentException(expected + " with a bucket name and no port (an endpoint goes in"
                    + " serving.sources.s3.endpoint), was '" + uri + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(expected + " without ? or #, was '" + uri + "'");
        }
        String key = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
        if (key.contains("//")) {
            throw new IllegalArgumentException(expected + " without empty path segments, was '" + uri + "'");
        }
        return new S3Location(bucket, key);
    }

    /** The key prefix of what is below this place: {@code key/}, or {@code ""} at the bucket's root. */
    String folder() {
        return key.isEmpty() ? "" : key + "/";
    }

    S3Location child(String name) {
        return new S3Location(bucket, folder() + name);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + (key.isEmpty() ? "" : "/" + key);
    }
}
