package dev.onnxserving.repository.oci;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.repository.source.SourceFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An artifact's image manifest (OCI or docker v2) read as a folder of files: each layer one file, named by its
 * {@code org.opencontainers.image.title} annotation, as {@code oras push} publishes them.
 */
final class OciManifest {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** What a manifest GET accepts: the indexes too, so that one is refused with a clear message. */
    static final String ACCEPT = String.join(", ", OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX, DOCKER_LIST);

    static final String TITLE = "org.opencontainers.image.title";
    private static final String ORAS_UNPACK = "io.deis.oras.content.unpack";
    static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    private OciManifest() {}

    /** The files the manifest's layers hold; refuses indexes, layers without a safe title and unknown digests. */
    static List<SourceFile> files(byte[] manifest, String contentType, String what, JsonMapper json) {
        JsonNode root;
        try {
            root = json.readTree(new String(manifest, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw invalid(what, "the manifest is not JSON");
        }
        String mediaType = root.path("mediaType").asString(contentType == null ? "" : contentType);
        if (mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST) || root.has("manifests")) {
            throw invalid(
                    what,
                    "it is an image index (a multi-platform image), not an artifact of files: publish the files with"
                            + " oras push");
        }
        if (!mediaType.equals(OCI_MANIFEST) && !mediaType.equals(DOCKER_MANIFEST)) {
            throw invalid(what, "unsupported manifest type '" + mediaType + "', expected " + OCI_MANIFEST);
        }
        JsonNode layers = root.path("layers");
        if (!layers.isArray()) {
            throw invalid(what, "the manifest has no layers array");
        }
        List<SourceFile> files = new ArrayList<>();
        Set<String> titles = new HashSet<>();
        for (JsonNode layer : layers) {
            SourceFile file = file(layer, what);
            if (!titles.add(file.path())) {
                throw invalid(what, "two layers have the title '" + file.path() + "'");
            }
            files.add(file);
        }
        return files;
    }

    private static SourceFile file(JsonNode layer, String what) {
        String digest = layer.path("digest").asString("");
        if (!SHA256.matcher(digest).matches()) {
            throw invalid(what, "layer digest '" + digest + "' is not sha256:<64 hex digits>");
        }
        JsonNode annotations = layer.path("annotations");
        if (annotations.path(ORAS_UNPACK).asString("").equals("true")) {
            throw invalid(what, "layer " + digest + " is a packed folder: push the files one by one");
        }
        String title = annotations.path(TITLE).asString("");
        if (title.isEmpty()) {
            throw invalid(what, "layer " + digest + " has no " + TITLE + " annotation naming its file");
        }
        String problem = unsafe(title);
        if (problem != null) {
            throw invalid(what, "layer " + digest + " has the unsafe title '" + printable(title) + "': " + problem);
        }
        long size = layer.path("size").asLong(-1);
        return new SourceFile(title, size < 0 ? -1 : size, digest, digest);
    }

    /** Why a title cannot name a file in a version folder, or null when it can. */
    static String unsafe(String title) {
        if (title.length() > 1024) {
            return "longer than 1024 characters";
        }
        if (title.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            return "control characters and backslashes are not allowed";
        }
        if (title.startsWith("/")) {
            return "absolute paths are not allowed";
        }
        for (String segment : title.split("/", -1)) {
            if (segment.isEmpty()) {
                return "empty path segments are not allowed";
            }
            if (segment.startsWith(".")) {
                return "segments starting with '.' ('..', hidden files) are not allowed";
            }
        }
        return null;
    }

    private static String printable(String title) {
        String shown = title.replaceAll("\\p{Cntrl}", "?");
        return shown.length() > 100 ? shown.substring(0, 100) + "..." : shown;
    }

    private static SourceException invalid(String what, String problem) {
        return new SourceException(Reason.INVALID, what + ": " + problem);
    }
}
