package dev.onnxserving.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The facts of the project's Dockerfile that the Kubernetes manifests must agree with: its runtime (last) stage. */
record Dockerfile(List<String> fromImages, String user, List<Integer> exposedPorts, Map<String, String> env) {

    static final Path PATH = Path.of("Dockerfile");
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

    static Dockerfile read() {
        List<String> instructions;
        try {
            instructions = instructions(Files.readString(PATH));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + PATH.toAbsolutePath(), e);
        }
        List<String> from = new ArrayList<>();
        String user = null;
        List<Integer> ports = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (String instruction : instructions) {
            String[] parts = instruction.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(java.util.Locale.ROOT);
            String arguments = parts.length > 1 ? parts[1] : "";
            switch (keyword) {
                case "FROM" -> {
                    from.add(arguments.split("\\s+")[0]);
                    user = null;
                    ports.clear();
                    env.clear();
                }
                case "USER" -> user = arguments.trim();
                case "EXPOSE" -> {
                    for (String port : arguments.trim().split("\\s+")) {
                        ports.add(Integer.parseInt(port.replaceAll("/.*", "")));
                    }
                }
                case "ENV" -> {
                    Matcher pair = ENV_PAIR.matcher(arguments);
                    while (pair.find()) {
                        env.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
                    }
                }
                default -> {}
            }
        }
        return new Dockerfile(List.copyOf(from), user, List.copyOf(ports), Map.copyOf(env));
    }

    /** The numeric user id the runtime stage runs as, or -1 when it names a user instead. */
    long userId() {
        String id = user == null ? "0" : user.split(":")[0];
        return id.chars().allMatch(Character::isDigit) ? Long.parseLong(id) : -1;
    }

    private static List<String> instructions(String text) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                current.append(trimmed);
                result.add(current.toString());
                current.setLength(0);
            }
        }
        return result;
    }
}
