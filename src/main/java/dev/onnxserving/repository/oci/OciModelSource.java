package dev.onnxserving.repository.oci;

import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import dev.onnxserving.repository.source.SourceListing;
import dev.onnxserving.repository.source.SourceVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One model in an OCI repository: each version an artifact tagged with its number, the model's own files an artifact
 * tagged {@value #MODEL_FILES_TAG}; every other tag is ignored.
 */
final class OciModelSource implements ModelSource {

    /** The tag of the artifact holding the model's own files ({@code model.yaml}, labels, tokenizers). */
    static final String MODEL_FILES_TAG = "model";

    private static final Pattern VERSION_TAG = Pattern.compile("[1-9][0-9]{0,17}");
    private static final int MANIFEST_LIMIT = 4 * 1024 * 1024;

    private final OciLocation location;
    private final RegistryClient client;
    private final PagedNames pages;

    OciModelSource(OciLocation location, RegistryClient client, PagedNames pages) {
        this.location = location;
        this.client = client;
        this.pages = pages;
    }

    @Override
    public String location() {
        return location.uri();
    }

    @Override
    public SourceListing list() {
        List<String> tags = pages.all(
                location.registry(),
                location.pullScope(),
                "/v2/" + location.repository() + "/tags/list",
                "tags",
                "listing the tags of " + location);
        SortedSet<Long> versions = new TreeSet<>();
        for (String tag : tags) {
            if (VERSION_TAG.matcher(tag).matches()) {
                versions.add(Long.parseLong(tag));
            }
        }
        List<SourceFile> modelFiles = tags.contains(MODEL_FILES_TAG)
                ? manifest(MODEL_FILES_TAG, "reading the model files (tag '" + MODEL_FILES_TAG + "') of " + location)
                        .files()
                : List.of();
        return new SourceListing(modelFiles, versions);
    }

    @Override
    public SourceVersion version(long number) {
        if (number <= 0) {
            throw new SourceException(Reason.NOT_FOUND, "version " + number + " of " + location + ": not a version");
        }
        Artifact artifact = manifest(Long.toString(number), "reading version " + number + " of " + location);
        return new SourceVersion(number, artifact.digest(), artifact.files());
    }

    private record Artifact(String digest, List<SourceFile> files) {}

    private Artifact manifest(String tag, String what) {
        RegistryResponse response = client.get(
                location.registry(),
                location.pullScope(),
                client.uri(location.registry(), "/v2/" + location.repository() + "/manifests/" + tag),
                OciManifest.ACCEPT,
                what);
        String announced = response.header("docker-content-digest").orElse(null);
        String contentType = response.header("content-type").orElse(null);
        byte[] bytes;
        try {
            bytes = response.bytes(MANIFEST_LIMIT);
        } catch (IOException e) {
            throw Failures.of(e, what);
        }
        String digest = Sha256.of(bytes);
        if (announced != null && announced.startsWith("sha256:") && !announced.equals(digest)) {
            throw new SourceException(
                    Reason.CORRUPT,
                    what + ": the manifest received has digest " + digest + ", the registry announced " + announced);
        }
        return new Artifact(digest, OciManifest.files(bytes, contentType, what, client.json()));
    }

    @Override
    public void fetch(SourceFile file, Path target) {
        String what = "fetching " + file.path() + " (" + file.locator() + ") of " + location;
        if (!OciManifest.SHA256.matcher(file.locator()).matches()) {
            throw new SourceException(Reason.INVALID, what + ": not a sha256 blob digest");
        }
        RegistryResponse response = client.get(
                location.registry(),
                location.pullScope(),
                client.uri(location.registry(), "/v2/" + location.repository() + "/blobs/" + file.locator()),
                "*/*",
                what);
        BlobDownload.toFile(response, file, target, what);
    }

    @Override
    public String toString() {
        return location.uri();
    }
}
