package cn.crb.domain.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A JSON value together with its path in the document, with typed readers that either return a valid value or
 * throw a {@link JsonValidationException} naming the path and what is wrong. {@code node} is null when the field
 * is absent. Decimals must be JSON strings in plain notation (contract 01: no floating-point formatting), so no
 * {@code double} is ever produced.
 */
public record JsonAt(String path, JsonNode node) {
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /** The root of a document. */
    public static JsonAt root(JsonNode node) { return new JsonAt("", node); }

    /** The named member of this object (its node is null when absent). Requires this value to be an object. */
    public JsonAt at(String field) {
        requireObject();
        return new JsonAt(path.isEmpty() ? field : path + "." + field, node.get(field));
    }

    /** True when the value is absent or JSON null. */
    public boolean isNull() { return node == null || node.isNull(); }

    /** A failure at this path. */
    public JsonValidationException invalid(String problem) {
        return new JsonValidationException(path.isEmpty() ? "(document)" : path, problem);
    }

    public JsonAt requireObject() {
        if (node == null || !node.isObject()) throw invalid(expected("must be an object"));
        return this;
    }

    /** The elements of a required array, each with its indexed path. */
    public List<JsonAt> elements() {
        if (node == null || !node.isArray()) throw invalid(expected("must be an array"));
        List<JsonAt> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) out.add(new JsonAt(path + "[" + i + "]", node.get(i)));
        return out;
    }

    /** A required, non-blank string. */
    public String text() {
        if (node == null || !node.isTextual() || node.asText().isBlank()) throw invalid(expected("must be a non-empty string"));
        return node.asText();
    }

    /** A non-blank string or null (absent or JSON null). */
    public String textOrNull() { return isNull() ? null : text(); }

    /** A required decimal written as a JSON string in plain notation, e.g. {@code "7.5"}. */
    public BigDecimal decimal() {
        if (node == null || !node.isTextual() || !DECIMAL.matcher(node.asText()).matches()) {
            throw invalid(expected("must be a decimal written as a string, e.g. \"7.5\""));
        }
        return new BigDecimal(node.asText());
    }

    /** A decimal string that is {@code >= 0}. */
    public BigDecimal nonNegativeDecimal() {
        BigDecimal v = decimal();
        if (v.signum() < 0) throw invalid("must not be negative, got \"" + node.asText() + "\"");
        return v;
    }

    /** A decimal string that is {@code > 0}. */
    public BigDecimal positiveDecimal() {
        BigDecimal v = decimal();
        if (v.signum() <= 0) throw invalid("must be greater than 0, got \"" + node.asText() + "\"");
        return v;
    }

    /** A required JSON integer within {@code [min, max]}. */
    public int integer(int min, int max) {
        String need = "must be an integer " + min + "-" + max;
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) throw invalid(expected(need));
        int v = node.intValue();
        if (v < min || v > max) throw invalid(expected(need));
        return v;
    }

    /** A required JSON boolean. */
    public boolean bool() {
        if (node == null || !node.isBoolean()) throw invalid(expected("must be true or false"));
        return node.booleanValue();
    }

    /** A required date {@code YYYY-MM-DD}. */
    public LocalDate date() {
        String need = "must be a date YYYY-MM-DD";
        if (node == null || !node.isTextual() || !DATE.matcher(node.asText()).matches()) throw invalid(expected(need));
        try {
            return LocalDate.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw invalid(expected("must be a valid calendar date YYYY-MM-DD"));
        }
    }

    /** A date or null (absent or JSON null). */
    public LocalDate dateOrNull() { return isNull() ? null : date(); }

    /** A required string naming one constant of {@code type}. */
    public <E extends Enum<E>> E oneOf(Class<E> type) {
        E[] all = type.getEnumConstants();
        if (node != null && node.isTextual()) {
            for (E e : all) if (e.name().equals(node.asText())) return e;
        }
        throw invalid(expected("must be one of " + Arrays.toString(all)));
    }

    private String expected(String need) {
        return need + ", got " + describe();
    }

    private String describe() {
        if (node == null) return "nothing (missing)";
        if (node.isNull()) return "null";
        String s = node.toString();
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + (s.length() > 40 ? s.substring(0, 40) + "…" : s);
    }
}
