package cn.crb.domain.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON configuration of the workstation (Jackson) and RFC 8785 canonical bytes (erdtman JCS).
 * Decimals are read as {@link java.math.BigDecimal} so that no double enters any path.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private Json() {}

    public static ObjectMapper mapper() { return MAPPER; }

    public static ObjectNode object() { return MAPPER.createObjectNode(); }
    public static com.fasterxml.jackson.databind.node.ArrayNode array() { return MAPPER.createArrayNode(); }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(e.getOriginalMessage(), e);
        }
    }

    public static JsonNode parse(byte[] utf8) {
        try {
            return MAPPER.readTree(utf8);
        } catch (IOException e) {
            throw new MalformedJsonException(e.getMessage(), e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 8785 (JCS) canonical form as UTF-8 bytes: what is signed and hashed. */
    public static byte[] canonical(JsonNode node) {
        try {
            return new JsonCanonicalizer(write(node)).getEncodedUTF8();
        } catch (IOException e) {
            throw new MalformedJsonException(e.getMessage(), e);
        }
    }

    public static String canonicalString(JsonNode node) {
        return new String(canonical(node), StandardCharsets.UTF_8);
    }

    /** Thrown for input that is not well-formed JSON. */
    public static final class MalformedJsonException extends RuntimeException {
        public MalformedJsonException(String message, Throwable cause) { super(message, cause); }
    }
}
