package dev.onnxserving.watching;

import dev.onnxserving.deployment.ModelManager;
import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.repository.ModelRepository;
import dev.onnxserving.repository.RepositoryProperties;
import dev.onnxserving.repository.SourceProperties;
import dev.onnxserving.repository.SourcedModels;
import dev.onnxserving.repository.cache.ModelCache;
import dev.onnxserving.repository.source.ModelSourceFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.SplittableRandom;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the models once the application has started (never lazily on the request path), then watches the repository,
 * the configuration file and the model sources for changes.
 */
@Configuration(proxyBeanMethods = false)
class WatchingConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "serving.repository.watch", havingValue = "true", matchIfMissing = true)
    RepositoryWatcher repositoryWatcher(
            ModelRepository repository, ModelManager manager, RepositoryProperties settings) {
        return new RepositoryWatcher(
                repository, manager, settings.pollInterval(), settings.settleTime(), settings.fileEvents());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "serving.config-file")
    ConfigFileWatcher configFileWatcher(
            ModelManager manager,
            ServingProperties properties,
            RepositoryProperties settings,
            MeterRegistry meters,
            SourceWatcher sources) {
        return new ConfigFileWatcher(
                properties.configFile(), manager, settings.pollInterval(), settings.fileEvents(), meters, sources);
    }

    /**
     * Syncs the models that come from a source into the cache; every {@link ModelSourceFactory} bean serves its
     * scheme. A configured location no factory serves stops the start with the schemes served.
     */
    @Bean(destroyMethod = "close")
    SourceWatcher sourceWatcher(
            ModelManager manager,
            ModelRegistry registry,
            ModelRepository repository,
            SourcedModels sourced,
            SourceProperties settings,
            ObjectProvider<ModelSourceFactory> factories,
            MeterRegistry meters) {
        SourceWatcher watcher = new SourceWatcher(
                manager,
                registry,
                repository,
                sourced,
                new ModelCache(settings.cache()),
                new SourceLocations(factories.orderedStream().toList()),
                settings.source(),
                settings.syncInterval(),
                new Backoff(settings.backoff().initial(), settings.backoff().max()),
                new SourceMetrics(meters),
                Clock.systemUTC(),
                new SplittableRandom());
        watcher.checkConfiguredLocations();
        return watcher;
    }

    /**
     * Loads on start-up, before readiness turns UP: first one sync of each model from its source (bounded by the
     * source's timeouts), then every model from disk; then starts watching.
     */
    @Bean
    ApplicationRunner modelLoadingRunner(
            ModelManager manager,
            SourceWatcher sources,
            ObjectProvider<ConfigFileWatcher> configFile,
            ObjectProvider<RepositoryWatcher> repository) {
        return arguments -> {
            configFile.ifAvailable(watcher -> manager.useConfigurationFile(watcher.readInitial()));
            sources.initialSync();
            manager.synchronizeAll();
            repository.ifAvailable(RepositoryWatcher::start);
            configFile.ifAvailable(ConfigFileWatcher::start);
            sources.start();
        };
    }
}
