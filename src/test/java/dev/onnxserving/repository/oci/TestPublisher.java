package dev.onnxserving.repository.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes artifacts the way {@code oras push} does: each file a blob (a POST starting an upload, a PUT completing
 * it with the digest), then an OCI image manifest with an {@code artifactType}, the empty config and one layer per
 * file annotated with its {@code org.opencontainers.image.title}.
 */
final class TestPublisher {

    static final String EMPTY_CONFIG_TYPE = "application/vnd.oci.empty.v1+json";
    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String registry;
    /** The Authorization header to push to a repository with, or null for none. */
    private final Function<String, String> authorization;

    TestPublisher(String registry, Function<String, String> authorization) {
        this.registry = registry;
        this.authorization = authorization;
    }

    TestPublisher(String registry) {
        this(registry, repository -> null);
    }

    /** Pushes the files (title to content, in order) as one artifact under {@code tag}; answers its digest. */
    String push(String repository, String tag, Map<String, byte[]> files) throws Exception {
        return putManifest(repository, tag, manifest(repository, files), OciManifest.OCI_MANIFEST);
    }

    /** The manifest {@code oras push} writes for the files, their blobs pushed. */
    byte[] manifest(String repository, Map<String, byte[]> files) throws Exception {
        pushBlob(repository, EMPTY_CONFIG);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            layers.add(descriptor(
                    "application/vnd.oci.image.layer.v1.tar",
                    pushBlob(repository, file.getValue()),
                    file.getValue().length,
                    Map.of(OciManifest.TITLE, file.getKey())));
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OciManifest.OCI_MANIFEST);
        manifest.put("artifactType", "application/vnd.onnx-serving.model.v1");
        manifest.put("config", descriptor(EMPTY_CONFIG_TYPE, sha256(EMPTY_CONFIG), EMPTY_CONFIG.length, Map.of()));
        manifest.put("layers", layers);
        manifest.put("annotations", Map.of("org.opencontainers.image.created", "2026-12-04T00:00:00Z"));
        return JSON.writeValueAsBytes(manifest);
    }

    static Map<String, Object> descriptor(String mediaType, String digest, long size, Map<String, String> annotations) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", digest);
        descriptor.put("size", size);
        if (!annotations.isEmpty()) {
            descriptor.put("annotations", annotations);
        }
        return descriptor;
    }

    String pushBlob(String repository, byte[] content) throws Exception {
        String digest = sha256(content);
        HttpResponse<String> started = send(
                repository,
                request(URI.create(base() + "/v2/" + repository + "/blobs/uploads/"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(started.statusCode())
                .as("starting an upload: %s", started.body())
                .isEqualTo(202);
        URI upload = URI.create(base() + "/")
                .resolve(started.headers().firstValue("location").orElseThrow());
        String separator = upload.getRawQuery() == null ? "?" : "&";
        HttpResponse<String> completed = send(
                repository,
                request(URI.create(upload + separator + "digest=" + digest))
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        assertThat(completed.statusCode())
                .as("completing an upload: %s", completed.body())
                .isEqualTo(201);
        return digest;
    }

    String putManifest(String repository, String tag, byte[] manifest, String mediaType) throws Exception {
        HttpResponse<String> put = send(
                repository,
                request(URI.create(base() + "/v2/" + repository + "/manifests/" + tag))
                        .header("Content-Type", mediaType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        assertThat(put.statusCode())
                .as("putting manifest %s: %s", tag, put.body())
                .isEqualTo(201);
        return sha256(manifest);
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(String repository, HttpRequest.Builder request) throws Exception {
        String header = authorization.apply(repository);
        if (header != null) {
            request.header("Authorization", header);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://" + registry;
    }

    static String sha256(byte[] content) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
