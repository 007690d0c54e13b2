package dev.onnxserving.pipeline;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Named tensors in a fixed order: a model's inputs or outputs for one run. Immutable. */
public final class Tensors implements Iterable<Map.Entry<String, Tensor>> {

    private final Map<String, Tensor> byName;

    private Tensors(Map<String, Tensor> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Copies {@code tensors} keeping its iteration order. */
    public static Tensors of(Map<String, Tensor> tensors) {
        return new Tensors(new LinkedHashMap<>(tensors));
    }

    public static Tensors of(String name, Tensor tensor) {
        return of(Map.of(name, tensor));
    }

    public Optional<Tensor> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The tensor called {@code name}; an {@link IllegalArgumentException} naming the ones there are if absent. */
    public Tensor get(String name) {
        Tensor tensor = byName.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no tensor '" + name + "', there are " + byName.keySet());
        }
        return tensor;
    }

    public Map<String, Tensor> asMap() {
        return byName;
    }

    public int size() {
        return byName.size();
    }

    @Override
    public Iterator<Map.Entry<String, Tensor>> iterator() {
        return byName.entrySet().iterator();
    }

    @Override
    public String toString() {
        return byName.toString();
    }
}
