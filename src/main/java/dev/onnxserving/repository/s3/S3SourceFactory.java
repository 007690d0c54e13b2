package dev.onnxserving.repository.s3;

import dev.onnxserving.repository.source.ModelSource;
import dev.onnxserving.repository.source.ModelSourceFactory;
import java.net.URI;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens {@code s3://bucket/prefix} locations. Owns the one S3 client every S3 source shares: built on first use (an
 * application without S3 sources never looks up a region or credentials) and closed once when the application stops.
 */
@Component
public class S3SourceFactory implements ModelSourceFactory, DisposableBean {

    private final Supplier<S3Client> clients;
    private S3Client client;
    private boolean closed;

    @Autowired
    public S3SourceFactory(S3SourceProperties properties) {
        this(() -> S3Clients.create(properties));
    }

    S3SourceFactory(Supplier<S3Client> clients) {
        this.clients = clients;
    }

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public ModelSource model(URI location) {
        return new S3ModelSource(client(), S3Location.parse(location));
    }

    @Override
    public List<String> models(URI location) {
        S3Location repository = S3Location.parse(location);
        TreeSet<String> names = new TreeSet<>();
        try {
            S3Listing.folder(client(), repository, object -> {}, name -> {
                if (!name.startsWith(".")) {
                    names.add(name);
                }
            });
        } catch (SdkException failure) {
            throw S3Failures.of("listing the models at " + repository, failure);
        }
        return List.copyOf(names);
    }

    private synchronized S3Client client() {
        if (closed) {
            throw new IllegalStateException("the S3 client is closed: the application is stopping");
        }
        if (client == null) {
            client = clients.get();
        }
        return client;
    }

    @Override
    public synchronized void destroy() {
        if (!closed && client != null) {
            client.close();
        }
        closed = true;
    }
}
