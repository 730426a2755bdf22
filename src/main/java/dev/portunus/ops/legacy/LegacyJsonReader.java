package dev.portunus.ops.legacy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file-level checks of 05-legacy.md §7.2 up to and including {@code invalid_json}, in their
 * order: size, UTF-8, emptiness, depth, duplicate keys, RFC 8259 syntax. The shape checks that follow
 * them need to know which file it is and live in the planner.
 *
 * <p>Each check runs over the whole file before the next starts, so a file that is both too deep and
 * malformed is {@code too_deep}. Only duplicate keys and syntax share one pass (a duplicate cannot be
 * found past a syntax error): whichever comes first in the text decides, except that a lone
 * surrogate escape never hides a later duplicate key.
 */
final class LegacyJsonReader {

    /** A legitimate file nests at most 5 levels; §7.2 allows 64. */
    static final int MAX_DEPTH = 64;

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[][] FOREIGN_BOMS = {
        {0, 0, (byte) 0xFE, (byte) 0xFF}, {(byte) 0xFF, (byte) 0xFE, 0, 0}, {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xFF, (byte) 0xFE}};

    // Jackson's defaults already refuse comments, NaN/Infinity, trailing commas, single quotes, raw
    // control characters and leading zeros. Duplicate keys, trailing documents and lone surrogate
    // escapes are checked while the tree is built. The string and name limits are lifted because
    // the file size is already bounded; field-name canonicalisation is off because its hash-flooding
    // guard fails a parse on many colliding key hashes, which would refuse valid JSON as invalid_json
    // (it also makes Jackson read through its UTF-8 Reader instead of the byte parser: slower, same result).
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The outcome: exactly one of {@code root} and {@code refusal} is non-null. */
    record Result(JsonNode root, boolean bomStripped, RefusalReason refusal) {

        static Result refused(RefusalReason reason) {
            return new Result(null, false, reason);
        }
    }

    private LegacyJsonReader() {
    }

    /** Reads {@code path} once, completely, and checks it. */
    static Result read(Path path, long maxBytes) throws IOException {
        if (Files.size(path) > maxBytes) {
            return Result.refused(RefusalReason.TOO_LARGE);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            // One byte past the limit tells a file that grew after the size check.
            bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 16));
        }
        return bytes.length > maxBytes ? Result.refused(RefusalReason.TOO_LARGE) : check(bytes);
    }

    static Result check(byte[] bytes) {
        for (byte[] bom : FOREIGN_BOMS) {
            if (startsWith(bytes, 0, bom)) {
                return Result.refused(RefusalReason.NOT_UTF8);
            }
        }
        boolean bom = startsWith(bytes, 0, UTF8_BOM);
        int start = bom ? UTF8_BOM.length : 0;
        if (!isUtf8(bytes, start)) {
            return Result.refused(RefusalReason.NOT_UTF8);
        }
        if (isBlank(bytes, start)) {
            return Result.refused(RefusalReason.EMPTY_FILE);
        }
        if (exceedsDepth(bytes, start)) {
            return Result.refused(RefusalReason.TOO_DEEP);
        }
        return parse(bytes, start, bom);
    }

    private static boolean startsWith(byte[] bytes, int from, byte[] prefix) {
        if (bytes.length - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Strict decoding (no overlong forms, no encoded surrogates), in chunks so no String is built. */
    private static boolean isUtf8(byte[] bytes, int start) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                return false;
            }
            if (r.isUnderflow()) {
                return !decoder.flush(out).isError();
            }
            out.clear();
        }
    }

    private static boolean isBlank(byte[] bytes, int start) {
        for (int i = start; i < bytes.length; i++) {
            if (!isJsonSpace(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isJsonSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /**
     * Counts bracket depth outside strings without building anything, so 100 000 nested arrays cost
     * one linear scan and no stack. Multi-byte UTF-8 sequences contain no ASCII bytes, so a byte
     * scan sees exactly the brackets and quotes a parser would.
     */
    private static boolean exceedsDepth(byte[] bytes, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < bytes.length; i++) {
            byte b = bytes[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '[' || b == '{') {
                if (++depth > MAX_DEPTH) {
                    return true;
                }
            } else if ((b == ']' || b == '}') && depth > 0) {
                depth--;
            }
        }
        return false;
    }

    private static Result parse(byte[] bytes, int start, boolean bomStripped) {
        // Jackson guesses UTF-16/32 from NUL bytes and skips a BOM at the start; both would let a
        // file through that §7.2 refuses (a NUL is a raw control character, and only one BOM is
        // stripped), so they are decided here before Jackson sees the bytes.
        if (startsWith(bytes, start, UTF8_BOM)) {
            return Result.refused(RefusalReason.INVALID_JSON);
        }
        for (int i = start; i < Math.min(bytes.length, start + 4); i++) {
            if (bytes[i] == 0) {
                return Result.refused(RefusalReason.INVALID_JSON);
            }
        }
        try (JsonParser p = JSON.createParser(bytes, start, bytes.length - start)) {
            TreeBuilder builder = new TreeBuilder(p);
            JsonNode root = builder.value(p.nextToken());
            if (p.nextToken() != null) {
                return Result.refused(RefusalReason.INVALID_JSON);
            }
            return builder.loneSurrogate
                    ? Result.refused(RefusalReason.INVALID_JSON)
                    : new Result(root, bomStripped, null);
        } catch (DuplicateKey e) {
            return Result.refused(RefusalReason.DUPLICATE_KEY);
        } catch (IOException e) {
            return Result.refused(RefusalReason.INVALID_JSON);
        }
    }

    private static final class DuplicateKey extends Exception {

        DuplicateKey() {
            super("duplicate key", null, false, false);
        }
    }

    /**
     * Builds the tree from the token stream (recursion is bounded by the depth limit). Numbers keep
     * their JSON kind: integers as int, long or big integer nodes, anything with a fraction or an
     * exponent as a double node, so that {@code 1.0} is never an integer.
     */
    private static final class TreeBuilder {

        private final JsonParser p;
        boolean loneSurrogate;

        TreeBuilder(JsonParser p) {
            this.p = p;
        }

        JsonNode value(JsonToken token) throws IOException, DuplicateKey {
            if (token == null) {
                throw new JsonParseException(p, "unexpected end of input");
            }
            return switch (token) {
                case START_OBJECT -> object();
                case START_ARRAY -> array();
                case VALUE_STRING -> NODES.textNode(text(p.getText()));
                case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
                case VALUE_TRUE -> NODES.booleanNode(true);
                case VALUE_FALSE -> NODES.booleanNode(false);
                case VALUE_NULL -> NODES.nullNode();
                default -> throw new JsonParseException(p, "unexpected token " + token);
            };
        }

        private ObjectNode object() throws IOException, DuplicateKey {
            ObjectNode object = NODES.objectNode();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    throw new JsonParseException(p, "expected a field name");
                }
                String name = text(p.currentName());
                if (object.has(name)) {
                    throw new DuplicateKey();
                }
                object.set(name, value(p.nextToken()));
            }
            return object;
        }

        private ArrayNode array() throws IOException, DuplicateKey {
            ArrayNode array = NODES.arrayNode();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                array.add(value(t));
            }
            return array;
        }

        /** Notes a surrogate escape without its partner; raw UTF-8 cannot encode one (decoder refused it). */
        private String text(String s) {
            for (int i = 0; i < s.length() && !loneSurrogate; i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    loneSurrogate = true;
                }
            }
            return s;
        }
    }
}
