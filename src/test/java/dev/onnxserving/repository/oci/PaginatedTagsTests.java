package dev.onnxserving.repository.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.onnxserving.repository.source.SourceListing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tag listings in pages: distribution 2.8 answers every tag at once, newer registries (distribution 3, Harbor,
 * cloud registries) page them with {@code n}, {@code last} and a {@code Link} header. A loopback server that pages
 * like them holds thousands of tags.
 */
class PaginatedTagsTests {

    private static final int TAGS = 2_500;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private OciSourceFactory factory;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/team/many/tags/list", this::page);
        server.start();
        String address = "127.0.0.1:" + server.getAddress().getPort();
        factory = new OciSourceFactory(OciTesting.properties(address, null));
    }

    @AfterEach
    void stop() {
        factory.destroy();
        server.stop(0);
    }

    /** Tags in string order, as registries sort them: 1, 10, 100, 1000, 1001, ... */
    private static List<String> tags() {
        List<String> tags = new ArrayList<>();
        for (int version = 1; version <= TAGS; version++) {
            tags.add(Integer.toString(version));
        }
        tags.add("latest");
        tags.sort(null);
        return tags;
    }

    private void page(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(query);
            int n = Integer.parseInt(parameter(query, "n", "100"));
            String last = parameter(query, "last", "");
            List<String> after =
                    tags().stream().filter(tag -> tag.compareTo(last) > 0).toList();
            List<String> page = after.subList(0, Math.min(n, after.size()));
            if (after.size() > n) {
                exchange.getResponseHeaders()
                        .add(
                                "Link",
                                "</v2/team/many/tags/list?n=" + n + "&last=" + page.get(page.size() - 1)
                                        + ">; rel=\"next\"");
            }
            byte[] body = JSON.writeValueAsBytes(Map.of("name", "team/many", "tags", page));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static String parameter(String query, String name, String otherwise) {
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return otherwise;
    }

    @Test
    void everyPageIsFollowedUntilTheLastAndOnlyVersionNumbersAreKept() {
        String address = "127.0.0.1:" + server.getAddress().getPort();

        SourceListing listing =
                factory.model(URI.create("oci://" + address + "/team/many")).list();

        assertThat(listing.versions()).hasSize(TAGS);
        assertThat(listing.versions().first()).isEqualTo(1L);
        assertThat(listing.versions().last()).isEqualTo((long) TAGS);
        assertThat(requests)
                .as("pages of %d tags", OciSourceFactory.PAGE_SIZE)
                .hasSize((TAGS + 1 + OciSourceFactory.PAGE_SIZE - 1) / OciSourceFactory.PAGE_SIZE)
                .first()
                .isEqualTo("n=" + OciSourceFactory.PAGE_SIZE);
    }
}
