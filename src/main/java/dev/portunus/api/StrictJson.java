package dev.portunus.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.portunus.events.Causes;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.CharConversionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Request bodies are parsed strictly (02-api.md "Errors"): unknown fields, members given twice and
 * wrong JSON types are refused, never coerced or silently resolved. JSON names are snake_case;
 * absent optional fields are left out of responses. {@link #refusal} turns whatever Jackson threw
 * into the contract's answer; the operator API's mappers and the client listener both use it.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** Field names are echoed in messages; a name longer than this is cut (they come from the client). */
    static final int MAX_NAME_ECHO = 100;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        // Without it the last of two equal members wins silently: {"role":"user","role":"superadmin"}.
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.setSerializationInclusion(JsonInclude.Include.NON_ABSENT);
    }

    /**
     * The answer to a request body that failed to bind, given Jackson's exception anywhere in
     * {@code failure}'s cause chain: 422 {@code unknown_field}, {@code duplicate_field},
     * {@code invalid_type} or {@code invalid_value} naming the field (dotted path, {@code [i]} for
     * array elements), or 400 {@code malformed_json} when the body is not JSON or not an object.
     * Never echoes the body itself.
     */
    public static ApiException refusal(Throwable failure) {
        UnrecognizedPropertyException unknown = Causes.find(failure, UnrecognizedPropertyException.class);
        if (unknown != null) {
            return ApiException.invalid("unknown_field", "unknown field '" + path(unknown.getPath()) + "'");
        }
        StreamReadException read = Causes.find(failure, StreamReadException.class);
        String at = read == null ? "" : parserPath(read);
        if (read != null && String.valueOf(read.getOriginalMessage()).startsWith("Duplicate field ")) {
            return ApiException.invalid("duplicate_field", "field '" + at + "' is given more than once");
        }
        JsonMappingException mapping = Causes.find(failure, JsonMappingException.class);
        String field = mapping != null && !mapping.getPath().isEmpty() ? path(mapping.getPath()) : at;
        if (Causes.find(failure, InputCoercionException.class) != null && !field.isEmpty()) {
            return ApiException.invalid("invalid_value", "field '" + field + "' is out of range for its type");
        }
        if (Causes.find(failure, StreamConstraintsException.class) != null) {
            return ApiException.badRequest("malformed_json",
                    "the request body exceeds the JSON parser's limits (nesting depth, number or name length)");
        }
        if (Causes.find(failure, CharConversionException.class) != null
                || (read != null && String.valueOf(read.getOriginalMessage()).startsWith("Invalid UTF-8"))) {
            return ApiException.badRequest("malformed_json", "the request body is not valid UTF-8" + where(read));
        }
        if (read != null) {
            return ApiException.badRequest("malformed_json", "the request body is not valid JSON" + where(read));
        }
        MismatchedInputException mismatch = Causes.find(failure, MismatchedInputException.class);
        if (mismatch != null && !field.isEmpty()) {
            String code = mismatch instanceof InvalidFormatException ? "invalid_value" : "invalid_type";
            return ApiException.invalid(code, "field '" + field + "' has the wrong type");
        }
        if (mapping != null && !field.isEmpty()) {
            return ApiException.invalid("invalid_value", "field '" + field + "' has an invalid value");
        }
        return ApiException.badRequest("malformed_json", "the request body is not the expected JSON object");
    }

    /** " (line L, column C)" of a parse failure, for a person looking at the body they sent. */
    private static String where(StreamReadException read) {
        return read == null || read.getLocation() == null ? ""
                : " (line " + read.getLocation().getLineNr() + ", column " + read.getLocation().getColumnNr() + ")";
    }

    /** {@code targets[0].host} from databind's reference chain. */
    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            append(out, r.getFieldName(), r.getIndex());
        }
        return cut(out.toString());
    }

    /** The same form from the parser's position, where databind has no path (duplicates, bad tokens). */
    static String parserPath(StreamReadException e) {
        JsonParser parser = e.getProcessor();
        if (parser == null) {
            return "";
        }
        List<JsonStreamContext> chain = new ArrayList<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            chain.add(c);
        }
        Collections.reverse(chain);
        StringBuilder out = new StringBuilder();
        for (JsonStreamContext c : chain) {
            if (c.inObject() && c.getCurrentName() != null) {
                append(out, c.getCurrentName(), -1);
            } else if (c.inArray()) {
                append(out, null, Math.max(c.getCurrentIndex(), 0));
            }
        }
        return cut(out.toString());
    }

    private static void append(StringBuilder out, String name, int index) {
        if (name != null) {
            out.append(out.length() == 0 ? "" : ".").append(name);
        } else if (index >= 0) {
            out.append('[').append(index).append(']');
        }
    }

    private static String cut(String name) {
        return name.length() <= MAX_NAME_ECHO ? name : name.substring(0, MAX_NAME_ECHO) + "…";
    }
}
