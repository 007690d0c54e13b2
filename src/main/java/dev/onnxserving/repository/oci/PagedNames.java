package dev.onnxserving.repository.oci;

import dev.onnxserving.repository.source.SourceException;
import dev.onnxserving.repository.source.SourceException.Reason;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a paginated list of the distribution API ({@code /v2/<name>/tags/list}, {@code /v2/_catalog}): asks for
 * {@code n} names a page and follows the {@code Link: <...>; rel="next"} header to the end.
 */
final class PagedNames {

    private static final int PAGE_BODY_LIMIT = 16 * 1024 * 1024;
    private static final int MAX_PAGES = 100_000;
    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");

    private final RegistryClient client;
    private final int pageSize;

    PagedNames(RegistryClient client, int pageSize) {
        this.client = client;
        this.pageSize = pageSize;
    }

    /** Every name of the list {@code field} at {@code path} ({@code /v2/team/iris/tags/list}). */
    List<String> all(String registry, String scope, String path, String field, String what) {
        List<String> names = new ArrayList<>();
        URI page = client.uri(registry, path + "?n=" + pageSize);
        for (int pages = 0; page != null; pages++) {
            if (pages == MAX_PAGES) {
                throw new SourceException(Reason.INVALID, what + ": more than " + MAX_PAGES + " pages");
            }
            RegistryResponse response = client.get(registry, scope, page, "application/json", what);
            URI current = page;
            Optional<URI> next = response.header("link").flatMap(link -> next(current, link));
            if (next.isPresent() && !page.getRawAuthority().equals(next.get().getRawAuthority())) {
                response.close();
                throw new SourceException(Reason.INVALID, what + ": the next page is at another host");
            }
            JsonNode list = read(response, what).path(field);
            if (!list.isNull() && !list.isMissingNode() && !list.isArray()) {
                throw new SourceException(Reason.INVALID, what + ": '" + field + "' is not a list");
            }
            for (JsonNode name : list) {
                names.add(name.asString(""));
            }
            page = next.orElse(null);
        }
        return names;
    }

    private JsonNode read(RegistryResponse response, String what) {
        try {
            return client.json().readTree(new String(response.bytes(PAGE_BODY_LIMIT), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw Failures.of(e, what);
        } catch (JacksonException e) {
            throw new SourceException(Reason.INVALID, what + ": the registry's answer is not JSON");
        }
    }

    static Optional<URI> next(URI current, String link) {
        Matcher next = NEXT.matcher(link);
        if (!next.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(current.resolve(next.group(1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
