package dev.onnxserving.processors;

import dev.onnxserving.pipeline.ElementCodec;
import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.JsonScalar;
import dev.onnxserving.pipeline.Tensor;
import tools.jackson.databind.JsonNode;

/**
 * Fills the primitive array that backs a {@link Tensor} of one {@link ElementType} from JSON tree leaves, following
 * {@link ElementCodec}'s rules (the same as the v2 protocol's). One sink fills one array and is not thread-safe.
 */
final class ElementSink {

    private final ElementCodec codec;
    private final Object array;
    private final JsonScalar.OfNode view = JsonScalar.ofNodes();

    private ElementSink(ElementType type, int count) {
        this.codec = type.codec();
        this.array = codec.newArray(count);
    }

    static ElementSink create(ElementType type, int count) {
        return new ElementSink(type, count);
    }

    /** The filled array, of the class {@link Tensor#arrayClassOf} names for the type. */
    Object array() {
        return array;
    }

    /**
     * Converts {@code value} and stores it at {@code index}.
     *
     * @return {@code null} when stored, otherwise what was expected and what came (the element is then unspecified)
     */
    String put(int index, JsonNode value) {
        return codec.store(view.at(value), array, index);
    }
}
