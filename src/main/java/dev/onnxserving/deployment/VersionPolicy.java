package dev.onnxserving.deployment;

import dev.onnxserving.repository.VersionNumbers;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which of a model's versions on disk are served: {@code latest}, {@code latest:N}, {@code all}, or a list such as
 * {@code 1,3}. This is deployment configuration ({@code serving.models.<name>.versions}).
 */
public sealed interface VersionPolicy {

    /** The versions to serve, out of those on disk. */
    SortedSet<Long> select(Collection<Long> available);

    /** The newest {@code count} versions. */
    record Latest(int count) implements VersionPolicy {
        public Latest {
            if (count < 1) {
                throw new IllegalArgumentException("latest:N needs N of at least 1, got " + count);
            }
        }

        @Override
        public SortedSet<Long> select(Collection<Long> available) {
            return available.stream()
                    .sorted((a, b) -> Long.compare(b, a))
                    .limit(count)
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        @Override
        public String toString() {
            return count == 1 ? "latest" : "latest:" + count;
        }
    }

    /** Exactly these versions (those missing on disk are reported, not invented). */
    record Specific(Set<Long> versions) implements VersionPolicy {
        public Specific {
            versions = Set.copyOf(versions);
        }

        @Override
        public SortedSet<Long> select(Collection<Long> available) {
            return available.stream().filter(versions::contains).collect(Collectors.toCollection(TreeSet::new));
        }

        @Override
        public String toString() {
            return new TreeSet<>(versions).stream().map(String::valueOf).collect(Collectors.joining(","));
        }
    }

    /** Every version on disk. */
    record All() implements VersionPolicy {
        @Override
        public SortedSet<Long> select(Collection<Long> available) {
            return new TreeSet<>(available);
        }

        @Override
        public String toString() {
            return "all";
        }
    }

    VersionPolicy LATEST = new Latest(1);

    /** The configuration form as a regular expression, for validating properties. */
    String SYNTAX = " *(latest|all|latest:[1-9][0-9]{0,8}|[1-9][0-9]{0,8}( *, *[1-9][0-9]{0,8})*) *";

    /**
     * Whether this policy can never serve {@code version}, whatever is on disk: only a list of versions can tell
     * before looking (under {@code latest} or {@code all} it depends on the versions present).
     */
    default boolean excludes(long version) {
        return this instanceof Specific specific && !specific.versions().contains(version);
    }

    /**
     * Parses the configuration form.
     *
     * @throws IllegalArgumentException naming what was expected and what came
     */
    static VersionPolicy parse(String text) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty() || value.equals("latest")) {
            return LATEST;
        }
        if (value.equals("all")) {
            return new All();
        }
        if (value.startsWith("latest:")) {
            return new Latest(parseNumber(value.substring("latest:".length()), text));
        }
        List<String> parts = Arrays.stream(value.split(",")).map(String::trim).toList();
        Set<Long> versions =
                parts.stream().map(part -> (long) parseNumber(part, text)).collect(Collectors.toSet());
        return new Specific(versions);
    }

    private static int parseNumber(String part, String whole) {
        if (!VersionNumbers.isValid(part)) {
            throw new IllegalArgumentException("versions: expected 'latest', 'latest:N', 'all' or a list of version"
                    + " numbers such as '1,3', got '" + whole + "'");
        }
        return Math.toIntExact(Long.parseLong(part));
    }
}
