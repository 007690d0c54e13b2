package dev.onnxserving.loading;

import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Postprocessor.Postprocessing;
import dev.onnxserving.pipeline.Preprocessor.Preprocessing;
import dev.onnxserving.pipeline.ProcessorCatalog;
import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.registry.LoadFailure;
import dev.onnxserving.registry.LoadedVersion;
import dev.onnxserving.repository.ModelSettings;
import dev.onnxserving.repository.ModelVersion;
import java.util.Optional;

/**
 * Turns a version on disk into a {@link LoadedVersion}: opens the session, checks its signature against the serving
 * version's when the model's processors depend on it, binds the processors, warms it up. On any failure the session
 * and any bound processor step that is {@link AutoCloseable} are closed before the exception leaves.
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
     * Loads {@code version}.
     *
     * @param contract the signature of the version serving now, when the model's processors were bound to it: the new
     *     version must be able to take its place ({@link SignatureCompatibility})
     * @throws VersionLoadException with a reason fit for the models listing
     */
    public LoadedVersion load(ModelVersion version, ModelSettings settings, Optional<ModelSignature> contract) {
        InferenceSession session;
        try {
            session = sessions.open(version.modelFile());
        } catch (ServingException e) {
            throw new VersionLoadException(LoadFailure.MODEL_FILE, e.getMessage());
        }
        Preprocessing preprocessing = null;
        Postprocessing postprocessing = null;
        try {
            Optional<String> problem =
                    contract.flatMap(serving -> SignatureCompatibility.problem(serving, session.signature()));
            if (problem.isPresent()) {
                throw new VersionLoadException(
                        LoadFailure.INCOMPATIBLE_SIGNATURE,
                        "signature incompatible with the serving version under processors " + settings.preprocessor()
                                + "/" + settings.postprocessor() + ": " + problem.get());
            }
            ModelContext context = new ModelContext(
                    version.name(),
                    version.version(),
                    version.directory().getParent(),
                    session.signature(),
                    settings.options());
            try {
                preprocessing = processors.preprocessor(settings.preprocessor()).bind(context);
                postprocessing =
                        processors.postprocessor(settings.postprocessor()).bind(context);
            } catch (ServingException e) {
                throw new VersionLoadException(LoadFailure.PROCESSORS, e.getMessage());
            }
            try {
                WarmUp.run(session, settings.warmupShapes());
            } catch (ServingException e) {
                throw new VersionLoadException(LoadFailure.WARMUP, e.getMessage());
            }
            InferenceSession serving = decorator.decorate(context, settings, session);
            return new LoadedVersion(context, serving, preprocessing, postprocessing);
        } catch (RuntimeException e) {
            session.close();
            LoadedVersion.closeStep(preprocessing, version.toString());
            LoadedVersion.closeStep(postprocessing, version.toString());
            throw e;
        }
    }
}
