package dev.onnxserving.deployment;

import dev.onnxserving.loading.SessionFactory;
import dev.onnxserving.loading.VersionLoader;
import dev.onnxserving.pipeline.Postprocessor;
import dev.onnxserving.pipeline.Preprocessor;
import dev.onnxserving.pipeline.ProcessorCatalog;
import dev.onnxserving.registry.ModelEvents;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.repository.ModelRepository;
import dev.onnxserving.repository.RepositoryProperties;
import dev.onnxserving.repository.SourceProperties;
import dev.onnxserving.repository.SourcedModels;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the repository, registry, loader, manager and operator commands; the watching package loads and watches. */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

    /** The models that come from a source, kept up to date by the source sync. */
    @Bean
    SourcedModels sourcedModels() {
        return new SourcedModels();
    }

    /** The local folder, and the cache for the models that come from a source. */
    @Bean
    ModelRepository modelRepository(RepositoryProperties properties, SourceProperties sources, SourcedModels sourced) {
        return new ModelRepository(properties.path(), sources.cache(), sourced);
    }

    /** Retires every version on shutdown, after the web server has drained. */
    @Bean(destroyMethod = "removeAll")
    ModelRegistry modelRegistry(ServingProperties properties, ObjectProvider<ModelEvents> events) {
        return new ModelRegistry(
                blankToNull(properties.defaultModel()),
                events.getIfAvailable(() -> ModelEvents.NONE),
                Clock.systemUTC());
    }

    @Bean
    VersionLoader versionLoader(
            SessionFactory sessions,
            ProcessorCatalog processors,
            ObjectProvider<VersionLoader.SessionDecorator> decorator) {
        return new VersionLoader(
                sessions, processors, decorator.getIfAvailable(() -> VersionLoader.SessionDecorator.NONE));
    }

    @Bean
    ModelManager modelManager(
            ModelRepository repository,
            ModelRegistry registry,
            VersionLoader loader,
            ServingProperties properties,
            RepositoryProperties repositoryProperties,
            ObjectProvider<ModelEvents> events) {
        return new ModelManager(
                repository,
                registry,
                loader,
                properties,
                repositoryProperties,
                events.getIfAvailable(() -> ModelEvents.NONE),
                Clock.systemUTC());
    }

    @Bean
    OperatorCommands operatorCommands(
            ModelManager manager,
            ModelRegistry registry,
            ModelRepository repository,
            RepositoryProperties repositoryProperties) {
        return new OperatorCommands(manager, registry, repository, repositoryProperties.watch());
    }

    @Bean
    ProcessorCatalog processorCatalog(List<Preprocessor> preprocessors, List<Postprocessor> postprocessors) {
        return new ProcessorCatalog(preprocessors, postprocessors);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
