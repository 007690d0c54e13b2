package dev.onnxserving.pipeline;

import java.math.BigDecimal;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * One JSON value that a tensor element is read from, seen the same way whether it comes from Jackson's streaming
 * parser ({@link OfParser}) or from a JSON tree ({@link OfNode}), so {@link ElementCodec} has one set of coercion
 * rules for both. A view is reused for every element of an array (no allocation per element) and is not
 * thread-safe.
 */
public abstract sealed class JsonScalar permits JsonScalar.OfParser, JsonScalar.OfNode {

    private static final int SHOWN_CHARACTERS = 40;

    /** What kind of JSON value it is; anything that is not a number, boolean or string is {@code OTHER}. */
    enum Kind {
        INTEGER,
        DECIMAL,
        TRUE,
        FALSE,
        STRING,
        OTHER
    }

    private JsonScalar() {}

    abstract Kind kind();

    /** For an {@code INTEGER}: whether it fits a {@code long}. */
    abstract boolean fitsLong();

    abstract long longValue();

    abstract float floatValue();

    abstract double doubleValue();

    /** For a {@code DECIMAL}: its exact value as far as the source keeps it. */
    abstract BigDecimal decimalValue();

    abstract String stringValue();

    /** The value for error messages, never more than a few dozen characters. */
    public abstract String describe();

    /** The value the parser is on; {@link #at} moves the view to the current token. */
    public static OfParser of(JsonParser parser) {
        return new OfParser(parser);
    }

    public static OfNode ofNodes() {
        return new OfNode();
    }

    /**
     * Names a token for error messages: strings quoted, numbers as written, {@code true}/{@code false}/
     * {@code null}, "an object"; long values by their length only.
     */
    public static String describe(JsonParser parser, JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> {
                String text = parser.getString();
                yield text.length() > SHOWN_CHARACTERS
                        ? "a string of " + text.length() + " characters"
                        : "\"" + text + "\"";
            }
            case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> token.asString();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                String text = parser.getString();
                yield text.length() > SHOWN_CHARACTERS ? "a number of " + text.length() + " digits" : text;
            }
            case START_OBJECT -> "an object";
            default -> String.valueOf(token);
        };
    }

    /** A view of the streaming parser's current scalar token. */
    public static final class OfParser extends JsonScalar {

        private final JsonParser parser;
        private JsonToken token;

        private OfParser(JsonParser parser) {
            this.parser = parser;
        }

        /** Views {@code token}, the parser's current token. */
        public JsonScalar at(JsonToken token) {
            this.token = token;
            return this;
        }

        @Override
        Kind kind() {
            return switch (token) {
                case VALUE_NUMBER_INT -> Kind.INTEGER;
                case VALUE_NUMBER_FLOAT -> Kind.DECIMAL;
                case VALUE_TRUE -> Kind.TRUE;
                case VALUE_FALSE -> Kind.FALSE;
                case VALUE_STRING -> Kind.STRING;
                default -> Kind.OTHER;
            };
        }

        @Override
        boolean fitsLong() {
            return parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
        }

        @Override
        long longValue() {
            return parser.getLongValue();
        }

        @Override
        float floatValue() {
            return parser.getFloatValue();
        }

        @Override
        double doubleValue() {
            return parser.getDoubleValue();
        }

        @Override
        BigDecimal decimalValue() {
            return parser.getDecimalValue();
        }

        @Override
        String stringValue() {
            return parser.getString();
        }

        @Override
        public String describe() {
            return describe(parser, token);
        }
    }

    /** A view of one node of a JSON tree. */
    public static final class OfNode extends JsonScalar {

        private JsonNode node;

        private OfNode() {}

        public JsonScalar at(JsonNode node) {
            this.node = node;
            return this;
        }

        @Override
        Kind kind() {
            if (node.isIntegralNumber()) {
                return Kind.INTEGER;
            }
            if (node.isNumber()) {
                return Kind.DECIMAL;
            }
            if (node.isBoolean()) {
                return node.booleanValue() ? Kind.TRUE : Kind.FALSE;
            }
            return node.isString() ? Kind.STRING : Kind.OTHER;
        }

        @Override
        boolean fitsLong() {
            return node.canConvertToLong();
        }

        @Override
        long longValue() {
            return node.longValue();
        }

        @Override
        float floatValue() {
            return (float) node.doubleValue();
        }

        @Override
        double doubleValue() {
            return node.doubleValue();
        }

        @Override
        BigDecimal decimalValue() {
            return node.decimalValue();
        }

        @Override
        String stringValue() {
            return node.stringValue();
        }

        @Override
        public String describe() {
            return JsonKinds.describe(node);
        }
    }
}
