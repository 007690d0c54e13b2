package dev.onnxserving.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses rendered manifests into the typed Kubernetes API classes of the fabric8 model, strictly: a kind without a
 * typed class, a value of the wrong type, and a field the API does not have are all errors. (The model classes keep
 * unknown fields in {@code additionalProperties} instead of failing; this walks every object and fails on them.)
 */
final class StrictKubernetes {

    private static final KubernetesSerialization serialization = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private StrictKubernetes() {}

    static List<HasMetadata> parse(String multiDocumentYaml) {
        List<HasMetadata> resources = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(multiDocumentYaml)) {
            if (document.isBlank()) {
                continue;
            }
            KubernetesResource resource;
            try {
                resource = serialization.unmarshal(document, KubernetesResource.class);
            } catch (RuntimeException e) {
                problems.add("not a valid Kubernetes object: " + e.getMessage());
                continue;
            }
            if (resource instanceof GenericKubernetesResource generic) {
                problems.add(generic.getApiVersion() + " " + generic.getKind() + " "
                        + generic.getMetadata().getName() + ": no typed API class for this kind");
                continue;
            }
            if (!(resource instanceof HasMetadata object)) {
                problems.add("not a Kubernetes object: " + resource.getClass().getSimpleName());
                continue;
            }
            String where = object.getKind() + "/" + object.getMetadata().getName();
            unknownFields(object, where, problems);
            resources.add(object);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return resources;
    }

    private static void unknownFields(Object value, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + index++ + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "." + key, problems));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (!isModelGetter(getter)) {
                continue;
            }
            Object property = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (property instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else {
                unknownFields(property, path + "." + propertyName(getter), problems);
            }
        }
    }

    private static boolean isModelGetter(Method method) {
        return method.getParameterCount() == 0
                && !Modifier.isStatic(method.getModifiers())
                && !method.isDefault()
                && !method.getDeclaringClass().isInterface()
                && method.getDeclaringClass().getName().startsWith("io.fabric8.")
                && (method.getName().startsWith("get") || method.getName().startsWith("is"));
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }

    private static String propertyName(Method getter) {
        String name = getter.getName().substring(getter.getName().startsWith("is") ? 2 : 3);
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
