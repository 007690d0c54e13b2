package dev.onnxserving.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One ONNX Runtime session and the options it was created with, shared by all request threads.
 *
 * <p>Owns both native objects: {@link #close()} releases the session, then its options, exactly once. The caller
 * guarantees no {@link #run} is in progress when it closes (the registry's leases do).
 */
final class OnnxInferenceSession implements InferenceSession {

    /** Input buffers kept for reuse per session; beyond this they are left to the garbage collector. */
    private static final long POOLED_INPUT_BYTES = 8L << 20;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final SessionOptions options;
    private final ModelSignature signature;
    private final Set<String> tensorOutputNames;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final DirectBuffers buffers = new DirectBuffers(POOLED_INPUT_BYTES);

    OnnxInferenceSession(OrtEnvironment environment, OrtSession session, SessionOptions options) throws OrtException {
        this.environment = environment;
        this.session = session;
        this.options = options;
        try {
            this.signature = new ModelSignature(
                    specs(session.getInputInfo()),
                    specs(session.getOutputInfo()),
                    session.getMetadata().getCustomMetadata());
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
        this.tensorOutputNames = new LinkedHashSet<>();
        signature.tensorOutputs().forEach(spec -> tensorOutputNames.add(spec.name()));
        if (signature.inputs().stream().anyMatch(spec -> !spec.isTensor())) {
            close();
            throw new ModelConfigurationException("the model has an input that is not a tensor: " + signature.inputs());
        }
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public Tensors run(Tensors inputs, Set<String> outputs) {
        if (closed.get()) {
            throw new IllegalStateException("session is closed");
        }
        Set<String> wanted = outputs.isEmpty() ? tensorOutputNames : outputs;
        Map<String, OnnxTensor> feeds = new HashMap<>();
        List<ByteBuffer> borrowed = new ArrayList<>(inputs.size());
        try {
            for (Map.Entry<String, Tensor> input : inputs) {
                Tensor tensor = input.getValue();
                OnnxTensor feed;
                if (tensor.type() == ElementType.STRING) {
                    feed = TensorConversion.toOnnx(environment, tensor);
                } else {
                    ByteBuffer buffer =
                            buffers.borrow(tensor.elementCount() * tensor.type().byteSize());
                    borrowed.add(buffer);
                    feed = TensorConversion.toOnnx(environment, tensor, buffer);
                }
                feeds.put(input.getKey(), feed);
            }
            try (OrtSession.Result result = session.run(feeds, wanted)) {
                Map<String, Tensor> produced = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> output : result) {
                    produced.put(output.getKey(), TensorConversion.fromOnnx((OnnxTensor) output.getValue()));
                }
                return Tensors.of(produced);
            }
        } catch (OrtException | RuntimeException e) {
            throw new InferenceFailedException("the model failed to run: " + RuntimeMessages.clean(e.getMessage()), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
            borrowed.forEach(buffers::release);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("closing the session failed: " + RuntimeMessages.clean(e.getMessage()));
            } finally {
                options.close();
            }
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            specs.add(spec(node.getName(), node.getInfo()));
        }
        return specs;
    }

    private static TensorSpec spec(String name, ValueInfo info) {
        if (info instanceof TensorInfo tensor) {
            Optional<ElementType> type = TensorConversion.elementType(tensor.onnxType);
            if (type.isPresent()) {
                long[] shape = tensor.getShape();
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shape[i] < 0 ? -1 : shape[i];
                }
                return new TensorSpec(
                        name, type.get(), shape, "tensor(" + type.get().protocolName() + ")");
            }
        }
        return new TensorSpec(name, null, new long[0], info.toString());
    }
}
