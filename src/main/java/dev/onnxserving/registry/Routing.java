package dev.onnxserving.registry;

import dev.onnxserving.pipeline.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How one model's requests are spread over its versions. Immutable; validated on construction.
 *
 * @param defaultVersion the version that serves requests naming none when no weights are set (and the fallback when
 *     no weighted version is READY); {@code null} for the newest READY version
 * @param weights version to relative weight for requests naming no version; empty for no split
 * @param stickyHeader the request header whose value keeps a caller on one version of the split; {@code null} for a
 *     random choice per request
 * @param labels label (such as {@code stable} or {@code canary}) to version
 * @param shadow the version that also receives a fraction of routed requests, or {@code null}
 */
public record Routing(
        Long defaultVersion, Map<Long, Integer> weights, String stickyHeader, Map<String, Long> labels, Shadow shadow) {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");

    /** No split, no labels, no shadow: the default (or newest READY) version serves. */
    public static final Routing NONE = new Routing(null, Map.of(), null, Map.of(), null);

    /**
     * @param version the version that receives copies of requests
     * @param fraction the share of routed requests copied, from 0 to 1
     */
    public record Shadow(long version, double fraction) {
        public Shadow {
            if (version < 1) {
                throw InvalidInputException.at("/shadow/version", "expected a version number, got " + version);
            }
            if (!(fraction >= 0.0 && fraction <= 1.0)) {
                throw InvalidInputException.at("/shadow/fraction", "expected a number from 0 to 1, got " + fraction);
            }
        }
    }

    /** @throws InvalidInputException naming the field that is wrong, what was expected and what came */
    public Routing {
        if (defaultVersion != null && defaultVersion < 1) {
            throw InvalidInputException.at("/default", "expected a version number, got " + defaultVersion);
        }
        weights = weights == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(weights));
        long total = 0;
        for (Map.Entry<Long, Integer> weight : weights.entrySet()) {
            if (weight.getKey() == null || weight.getKey() < 1) {
                throw InvalidInputException.at("/weights", "expected version numbers as keys, got " + weight.getKey());
            }
            if (weight.getValue() == null || weight.getValue() < 0) {
                throw InvalidInputException.at(
                        "/weights/" + weight.getKey(), "expected a weight of 0 or more, got " + weight.getValue());
            }
            total += weight.getValue();
        }
        if (!weights.isEmpty() && total == 0) {
            throw InvalidInputException.at("/weights", "expected at least one weight above 0, got " + weights);
        }
        if (stickyHeader != null && !HEADER.matcher(stickyHeader).matches()) {
            throw InvalidInputException.at(
                    "/sticky-header", "expected an HTTP header name such as X-User-Id, got '" + stickyHeader + "'");
        }
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
        for (Map.Entry<String, Long> label : labels.entrySet()) {
            if (label.getKey() == null || !LABEL.matcher(label.getKey()).matches()) {
                throw InvalidInputException.at(
                        "/labels",
                        "expected label names of letters, digits, '.', '_' or '-' (up to 64), got '" + label.getKey()
                                + "'");
            }
            if (label.getValue() == null || label.getValue() < 1) {
                throw InvalidInputException.at(
                        "/labels/" + label.getKey(), "expected a version number, got " + label.getValue());
            }
        }
    }

    /** Whether {@code label} is acceptable as a label name. */
    public static boolean isValidLabel(String label) {
        return label != null && LABEL.matcher(label).matches();
    }

    /** Every version this routing names: default, weighted, labelled and shadow. */
    public Set<Long> referencedVersions() {
        Set<Long> versions = new TreeSet<>(weights.keySet());
        versions.addAll(labels.values());
        if (defaultVersion != null) {
            versions.add(defaultVersion);
        }
        if (shadow != null) {
            versions.add(shadow.version());
        }
        return versions;
    }

    /** Versions that receive requests: weighted above 0, labelled, the default and the shadow. */
    public Set<Long> versionsWithTraffic() {
        Set<Long> versions = new TreeSet<>(labels.values());
        weights.forEach((version, weight) -> {
            if (weight > 0) {
                versions.add(version);
            }
        });
        if (defaultVersion != null) {
            versions.add(defaultVersion);
        }
        if (shadow != null) {
            versions.add(shadow.version());
        }
        return versions;
    }

    /** How {@code version} receives requests, for messages: {@code the default version}, {@code label 'stable'}. */
    public List<String> uses(long version) {
        List<String> uses = new ArrayList<>();
        if (defaultVersion != null && defaultVersion == version) {
            uses.add("the default version");
        }
        if (weights.getOrDefault(version, 0) > 0) {
            uses.add("weight " + weights.get(version));
        }
        labels.forEach((label, target) -> {
            if (target == version) {
                uses.add("label '" + label + "'");
            }
        });
        if (shadow != null && shadow.version() == version) {
            uses.add("the shadow");
        }
        return uses;
    }

    public boolean isSplit() {
        return !weights.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        text.append("default=").append(defaultVersion == null ? "newest" : defaultVersion);
        if (!weights.isEmpty()) {
            text.append(" weights=").append(weights);
        }
        if (stickyHeader != null) {
            text.append(" sticky-header=").append(stickyHeader);
        }
        if (!labels.isEmpty()) {
            text.append(" labels=").append(labels);
        }
        if (shadow != null) {
            text.append(" shadow=").append(shadow.version()).append('@').append(shadow.fraction());
        }
        return text.toString();
    }
}
