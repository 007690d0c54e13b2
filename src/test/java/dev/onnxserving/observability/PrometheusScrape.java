package dev.onnxserving.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape of {@code /actuator/prometheus} in the Prometheus text format, read into its families (name, type, help
 * text) and samples (one per series).
 */
record PrometheusScrape(String text, Map<String, Family> families, List<Sample> samples) {

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_max");

    /** A metric family: the name its {@code # HELP} and {@code # TYPE} lines give. */
    record Family(String name, String type, String help) {}

    /** One series: its sample name (with any {@code _bucket}, {@code _count}... suffix) and labels. */
    record Sample(String name, Map<String, String> labels) {}

    static PrometheusScrape parse(String text) {
        Map<String, String> help = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                help.put(parts[0], parts.length > 1 ? parts[1].strip() : "");
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                types.put(parts[0], parts[1].strip());
            } else if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        Map<String, Family> families = new LinkedHashMap<>();
        types.forEach((name, type) -> families.put(name, new Family(name, type, help.get(name))));
        return new PrometheusScrape(text, families, samples);
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (brace < 0 || brace > space) {
            return new Sample(line.substring(0, space), Map.of());
        }
        int end = line.lastIndexOf('}');
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher matcher = LABEL.matcher(line.substring(brace + 1, end));
        while (matcher.find()) {
            labels.put(matcher.group(1), matcher.group(2));
        }
        return new Sample(line.substring(0, brace), labels);
    }

    int bytes() {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    long series(String prefix) {
        return samples.stream()
                .filter(sample -> sample.name().startsWith(prefix))
                .count();
    }

    Set<String> sampleNames() {
        Set<String> names = new TreeSet<>();
        samples.forEach(sample -> names.add(sample.name()));
        return names;
    }

    /** The family a sample belongs to: its own name, or the name without a histogram, counter or timer suffix. */
    Family familyOf(String sampleName) {
        if (families.containsKey(sampleName)) {
            return families.get(sampleName);
        }
        for (String suffix : SUFFIXES) {
            String base = sampleName.endsWith(suffix)
                    ? sampleName.substring(0, sampleName.length() - suffix.length())
                    : sampleName;
            if (families.containsKey(base)) {
                return families.get(base);
            }
        }
        return null;
    }
}
