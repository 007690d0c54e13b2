package dev.onnxserving.repository.s3;

import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Pages through {@code ListObjectsV2} below a location, however many pages it takes. */
final class S3Listing {

    private S3Listing() {}

    /**
     * What is directly below a location: its objects and the names of its sub-folders (from the common prefixes).
     * Folder markers (keys ending in {@code /}, as consoles create) are not objects.
     */
    static void folder(S3Client client, S3Location location, Consumer<S3Object> objects, Consumer<String> folders) {
        String prefix = location.folder();
        for (ListObjectsV2Response page : pages(client, location, "/")) {
            page.contents().stream()
                    .filter(object -> !object.key().endsWith("/"))
                    .forEach(objects);
            for (CommonPrefix folder : page.commonPrefixes()) {
                String name = folder.prefix().substring(prefix.length());
                folders.accept(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
            }
        }
    }

    /** Every object below a location, at any depth; folder markers excluded. */
    static void everything(S3Client client, S3Location location, Consumer<S3Object> objects) {
        for (ListObjectsV2Response page : pages(client, location, null)) {
            page.contents().stream()
                    .filter(object -> !object.key().endsWith("/"))
                    .forEach(objects);
        }
    }

    private static Iterable<ListObjectsV2Response> pages(S3Client client, S3Location location, String delimiter) {
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(location.bucket())
                .prefix(location.folder())
                .delimiter(delimiter)
                .build();
        return client.listObjectsV2Paginator(request);
    }
}
