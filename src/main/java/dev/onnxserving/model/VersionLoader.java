package dev.onnxserving.model;

import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.Postprocessor.Postprocessing;
import dev.onnxserving.pipeline.Preprocessor.Preprocessing;
import dev.onnxserving.pipeline.ProcessorCatalog;

/**
 * Turns a version on disk into a {@link LoadedVersion}: opens the session, binds the model's processors, warms it
 * up. On any failure the session and any bound processor step that is {@link AutoCloseable} are closed before the
 * exception leaves.
 */
public final class VersionLoader {

    private final SessionFactory sessions;
    private final ProcessorCatalog processors;
    private final SessionDecorator decorator;

    /** Wraps a warmed-up session, e.g. in a batcher; the wrapper's close must close the session it wraps. */
    public interface SessionDecorator {
        InferenceSession decorate(ModelContext model, ModelSettings settings, InferenceSession session);

        SessionDecorator NONE = (model, settings, session) -> session;
    }

    public VersionLoader(SessionFactory sessions, ProcessorCatalog processors, SessionDecorator decorator) {
        this.sessions = sessions;
        this.processors = processors;
        this.decorator = decorator;
    }

    /**
     * @throws dev.onnxserving.pipeline.ModelConfigurationException with a reason fit for the models listing
     */
    public LoadedVersion load(ModelVersion version, ModelSettings settings) {
        InferenceSession session = sessions.open(version.modelFile());
        Preprocessing preprocessing = null;
        Postprocessing postprocessing = null;
        try {
            ModelContext context = new ModelContext(
                    version.name(),
                    version.version(),
                    version.directory().getParent(),
                    session.signature(),
                    settings.options());
            preprocessing = processors.preprocessor(settings.preprocessor()).bind(context);
            postprocessing = processors.postprocessor(settings.postprocessor()).bind(context);
            WarmUp.run(session, settings.warmupShapes());
            InferenceSession serving = decorator.decorate(context, settings, session);
            return new LoadedVersion(context, serving, preprocessing, postprocessing);
        } catch (RuntimeException e) {
            session.close();
            LoadedVersion.closeStep(preprocessing, version.name() + "/" + version.version());
            LoadedVersion.closeStep(postprocessing, version.name() + "/" + version.version());
            throw e;
        }
    }
}
