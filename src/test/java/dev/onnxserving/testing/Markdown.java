package dev.onnxserving.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The fenced code blocks of a Markdown document, and its sections by heading, for tests that follow the docs. */
public final class Markdown {

    /** A fence at the start of a line, possibly indented (inside a list item), closed at the same indentation. */
    private static final Pattern BLOCK =
            Pattern.compile("^( *)```(\\w*)\\n(.*?)^\\1```", Pattern.DOTALL | Pattern.MULTILINE);

    private static final Pattern HEADING = Pattern.compile("^(#+) (.*)$");

    private Markdown() {}

    /**
     * @param language the fence's info string, empty when it has none
     * @param code the block's lines without the fence's indentation
     * @param textBefore the prose between the previous block (or the start) and this one
     */
    public record Block(String language, String code, String textBefore) {}

    public static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(markdown);
        int previousEnd = 0;
        while (matcher.find()) {
            String indentation = matcher.group(1);
            String code = matcher.group(3)
                    .lines()
                    .map(line -> line.startsWith(indentation) ? line.substring(indentation.length()) : line)
                    .collect(Collectors.joining("\n", "", "\n"));
            blocks.add(new Block(matcher.group(2), code, markdown.substring(previousEnd, matcher.start())));
            previousEnd = matcher.end();
        }
        return blocks;
    }

    /**
     * The section with that heading (any level), from its heading line up to the next heading of the same or a higher
     * level; lines inside code blocks (a shell comment, say) are no headings.
     *
     * @throws IllegalArgumentException when the document has no such heading
     */
    public static String section(String markdown, String heading) {
        int[] bounds = bounds(markdown, heading);
        return markdown.substring(bounds[0], bounds[1]);
    }

    /** The document without that section, or the whole document when it has no such heading. */
    public static String withoutSection(String markdown, String heading) {
        try {
            int[] bounds = bounds(markdown, heading);
            return markdown.substring(0, bounds[0]) + markdown.substring(bounds[1]);
        } catch (IllegalArgumentException absent) {
            return markdown;
        }
    }

    /** The commands of a shell block, each with its continuation lines ({@code \} at the end) joined. */
    public static List<String> commands(String block) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : block.split("\n")) {
            current.append(line.endsWith("\\") ? line.substring(0, line.length() - 1) : line);
            if (!line.endsWith("\\")) {
                String command = current.toString().trim();
                if (!command.isEmpty()) {
                    commands.add(command);
                }
                current.setLength(0);
            }
        }
        return commands;
    }

    private static int[] bounds(String markdown, String heading) {
        int start = -1;
        int level = 0;
        boolean inBlock = false;
        int offset = 0;
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                inBlock = !inBlock;
            }
            Matcher matcher = HEADING.matcher(line);
            if (!inBlock && matcher.matches()) {
                int depth = matcher.group(1).length();
                if (start >= 0 && depth <= level) {
                    return new int[] {start, offset};
                }
                if (start < 0 && matcher.group(2).strip().equals(heading)) {
                    start = offset;
                    level = depth;
                }
            }
            offset += line.length() + 1;
        }
        if (start < 0) {
            throw new IllegalArgumentException("no section '" + heading + "'");
        }
        return new int[] {start, markdown.length()};
    }
}
