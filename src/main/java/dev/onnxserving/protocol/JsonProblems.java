package dev.onnxserving.protocol;

import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.ServingException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;

/**
 * The one translation of JSON parser failures into client messages in our own words: where (line, column and a JSON
 * pointer where known), what was expected and what came. Jackson's wording, class names and source descriptions never
 * reach a client.
 */
public final class JsonProblems {

    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate Object property \"(.*)\"");
    private static final Pattern CHARACTER = Pattern.compile("^Unexpected character \\('(.+?)' \\(code \\d+\\)\\)");
    private static final Pattern CONTROL =
            Pattern.compile("^Illegal (?:unquoted )?character \\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
    private static final Pattern TOKEN = Pattern.compile("^(?:Unrecognized|Non-standard) token '(.*?)'");
    private static final Pattern CLOSE_MARKER = Pattern.compile("^Unexpected close marker '(.)'");
    private static final Pattern UTF8_BYTE = Pattern.compile("(start|middle) byte (0x\\p{XDigit}+)");
    private static final Pattern LIMIT = Pattern.compile("maximum allowed \\((\\d+)");

    private static final String JSON_VALUE = "a JSON value (string, number, array, object, true, false or null)";

    /** Jackson's description of what it expected, and ours; the first that occurs in the message wins. */
    private static final List<String[]> EXPECTATIONS = List.of(
            new String[] {"comma to separate Object entries", "',' or '}' after a field value"},
            new String[] {"comma to separate Array entries", "',' or ']' after an array element"},
            new String[] {"colon to separate property name and value", "':' after a field name"},
            new String[] {"double-quote to start property name", "a field name in double quotes"},
            new String[] {"closing quote for a string value", "'\"' to end the string"},
            new String[] {"end-of-input in VALUE_STRING", "'\"' to end the string"},
            new String[] {"close marker for Object", "'}' to close the object"},
            new String[] {"close marker for Array", "']' to close the array"},
            new String[] {"expected ']'", "']' to close the array"},
            new String[] {"expected '}'", "'}' to close the object"},
            new String[] {"no open ", "the end of the body"},
            new String[] {"has to be escaped", "control characters in strings to be escaped with a backslash"},
            new String[] {"numeric value", "a valid JSON number"},
            new String[] {"JSON String, Number, Array, Object", JSON_VALUE},
            new String[] {"Non-standard token", JSON_VALUE},
            new String[] {"allowed between tokens", JSON_VALUE});

    private JsonProblems() {}

    /**
     * The client error a parser failure stands for; a {@link ServingException} thrown while the body was read (e.g.
     * a body over the size limit, a corrupt compressed body) is returned as it is.
     */
    public static ServingException translate(JacksonException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServingException serving) {
                return serving;
            }
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            return new InvalidInputException(limit(original));
        }
        String pointer = pointer(e);
        Matcher duplicate = DUPLICATE.matcher(original);
        if (duplicate.find()) {
            return InvalidInputException.at(
                    pointer, "duplicate key '" + duplicate.group(1) + "': a key may appear once");
        }
        if (original.startsWith("Invalid UTF-8")) {
            return new InvalidInputException("request body is not valid UTF-8" + at(e) + ": " + utf8(original));
        }
        if (e instanceof DatabindException) {
            return InvalidInputException.at(
                    pointer, "the JSON" + at(e) + " does not fit here: expected " + expectation(original));
        }
        return new InvalidInputException(
                "malformed JSON" + at(e) + ": expected " + expectation(original) + ", got " + got(original));
    }

    private static String at(JacksonException e) {
        var location = e.getLocation();
        return location == null || location.getLineNr() < 0
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Where the parser was, as a JSON pointer; {@code ""} (the whole body) when unknown. */
    private static String pointer(JacksonException e) {
        if (e instanceof StreamReadException read && read.processor() != null) {
            TokenStreamContext context = read.processor().streamReadContext();
            return context == null ? "" : context.pathAsPointer().toString();
        }
        if (e instanceof DatabindException bound) {
            StringBuilder pointer = new StringBuilder();
            for (JacksonException.Reference reference : bound.getPath()) {
                pointer.append('/')
                        .append(
                                reference.getPropertyName() != null
                                        ? reference.getPropertyName()
                                        : Integer.toString(reference.getIndex()));
            }
            return pointer.toString();
        }
        return "";
    }

    private static String expectation(String original) {
        for (String[] expectation : EXPECTATIONS) {
            if (original.contains(expectation[0])) {
                return expectation[1];
            }
        }
        return "valid JSON";
    }

    private static String got(String original) {
        if (original.startsWith("Unexpected end-of-input")) {
            return "the end of the body";
        }
        if (original.contains("Leading zeroes")) {
            return "a number with a leading zero";
        }
        for (Pattern pattern : List.of(CHARACTER, TOKEN, CLOSE_MARKER)) {
            Matcher matcher = pattern.matcher(original);
            if (matcher.find()) {
                return "'" + matcher.group(1) + "'";
            }
        }
        Matcher control = CONTROL.matcher(original);
        if (control.find()) {
            return String.format(Locale.ROOT, "the control character 0x%02x", Integer.parseInt(control.group(1)));
        }
        return "something else";
    }

    private static String utf8(String original) {
        Matcher matcher = UTF8_BYTE.matcher(original);
        if (!matcher.find()) {
            return "expected UTF-8 text";
        }
        return "byte " + matcher.group(2)
                + (matcher.group(1).equals("start") ? " cannot start a character" : " cannot continue a character");
    }

    private static String limit(String original) {
        Matcher matcher = LIMIT.matcher(original);
        String maximum = matcher.find() ? matcher.group(1) : "?";
        if (original.contains("nesting depth")) {
            return "JSON nesting depth exceeds the limit of " + maximum + " (serving.limits.max-json-depth)";
        }
        if (original.contains("String value length")) {
            return "a JSON string is longer than the limit of " + maximum
                    + " characters (serving.limits.max-string-length)";
        }
        return "request body exceeds a JSON limit of " + maximum;
    }
}
