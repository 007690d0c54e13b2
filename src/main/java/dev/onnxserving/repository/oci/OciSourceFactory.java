package dev.onnxserving.repository.oci;

import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.ModelSourceFactory;
import dev.onnxserving.repository.source.SourceException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens {@code oci://registry/repository/<model>} locations. Owns the one HTTP client every OCI source shares (its
 * connection pool and threads), and the registries' cached tokens; stops them when the application stops.
 */
@Component
public class OciSourceFactory implements ModelSourceFactory, DisposableBean {

    /** Names a page of tags or repositories asks for. */
    static final int PAGE_SIZE = 1000;

    private final ExecutorService executor;
    private final RegistryClient client;
    private final PagedNames pages;

    @Autowired
    public OciSourceFactory(OciProperties properties) {
        this(properties, PAGE_SIZE);
    }

    OciSourceFactory(OciProperties properties, int pageSize) {
        this.executor = Executors.newCachedThreadPool(daemonThreads());
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .build();
        JsonMapper json = JsonMapper.builder().build();
        Exchange exchange = new Exchange(http, properties.readTimeout(), properties.plainHttp());
        CredentialStore credentials = new CredentialStore(properties, json);
        Clock clock = Clock.systemUTC();
        RegistryAuth auth = new RegistryAuth(credentials, new TokenService(exchange, credentials, json, clock), clock);
        this.client = new RegistryClient(exchange, auth, json);
        this.pages = new PagedNames(client, pageSize);
    }

    @Override
    public String scheme() {
        return "oci";
    }

    @Override
    public ModelSource model(URI location) {
        OciLocation parsed = OciLocation.parse(location);
        if (parsed.repository().isEmpty()) {
            throw new SourceException(
                    SourceException.Reason.INVALID,
                    "invalid OCI location " + location + ": expected oci://registry/repository/<model>");
        }
        return new OciModelSource(parsed, client, pages);
    }

    @Override
    public List<String> models(URI location) {
        OciLocation parsed = OciLocation.parse(location);
        String prefix = parsed.repository().isEmpty() ? "" : parsed.repository() + "/";
        return pages
                .all(
                        parsed.registry(),
                        "registry:catalog:*",
                        "/v2/_catalog",
                        "repositories",
                        "listing the" + " repositories of " + parsed)
                .stream()
                .filter(name -> name.startsWith(prefix))
                .map(name -> name.substring(prefix.length()))
                .filter(name -> !name.isEmpty() && name.indexOf('/') < 0)
                .sorted()
                .toList();
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "oci-registry-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
