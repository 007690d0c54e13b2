package dev.onnxserving.watching;

import dev.onnxserving.deployment.ModelManager;
import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.repository.ModelRepository;
import dev.onnxserving.repository.RepositoryProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the models once the application has started (never lazily on the request path), then watches the repository
 * and the configuration file for changes.
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
            ModelManager manager, ServingProperties properties, RepositoryProperties settings, MeterRegistry meters) {
        return new ConfigFileWatcher(
                properties.configFile(), manager, settings.pollInterval(), settings.fileEvents(), meters);
    }

    /** Loads on start-up, before readiness turns UP; then starts watching. */
    @Bean
    ApplicationRunner modelLoadingRunner(
            ModelManager manager,
            ObjectProvider<ConfigFileWatcher> configFile,
            ObjectProvider<RepositoryWatcher> repository) {
        return arguments -> {
            configFile.ifAvailable(watcher -> manager.useConfigurationFile(watcher.readInitial()));
            manager.synchronizeAll();
            repository.ifAvailable(RepositoryWatcher::start);
            configFile.ifAvailable(ConfigFileWatcher::start);
        };
    }
}
