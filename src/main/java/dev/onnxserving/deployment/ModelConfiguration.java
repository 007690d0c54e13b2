package dev.onnxserving.deployment;

import dev.onnxserving.loading.SessionFactory;
import dev.onnxserving.loading.VersionLoader;
import dev.onnxserving.pipeline.ProcessorCatalog;
import dev.onnxserving.registry.ModelEvents;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.repository.ModelRepository;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the repository, registry, loader and manager; the lifecycle package loads and watches. */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

    @Bean
    ModelRepository modelRepository(ModelsProperties properties) {
        return new ModelRepository(properties.repository().path());
    }

    /** Retires every version on shutdown, after the web server has drained. */
    @Bean(destroyMethod = "removeAll")
    ModelRegistry modelRegistry(ModelsProperties properties, ObjectProvider<ModelEvents> events) {
        return new ModelRegistry(
                properties.defaultModel(), events.getIfAvailable(() -> ModelEvents.NONE), Clock.systemUTC());
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
            ModelsProperties properties,
            ObjectProvider<ModelEvents> events) {
        return new ModelManager(
                repository,
                registry,
                loader,
                properties,
                events.getIfAvailable(() -> ModelEvents.NONE),
                Clock.systemUTC());
    }

    @Bean
    ProcessorCatalog processorCatalog(
            java.util.List<dev.onnxserving.pipeline.Preprocessor> preprocessors,
            java.util.List<dev.onnxserving.pipeline.Postprocessor> postprocessors) {
        return new ProcessorCatalog(preprocessors, postprocessors);
    }
}
