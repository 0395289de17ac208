package cn.crb.domain;

import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The published examples, copied into test resources, read from the classpath. */
public final class Examples {
    public static final List<String> CASES = List.of("C-EX-01", "C-EX-02", "C-EX-03", "C-EX-04", "C-EX-05", "C-EX-06", "C-EX-07");

    private Examples() {}

    public static JsonNode read(String resource) {
        try (InputStream in = Examples.class.getResourceAsStream("/examples/" + resource)) {
            if (in == null) throw new IllegalStateException("missing test resource examples/" + resource);
            return Json.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh, mutable copy of the example standards payload. */
    public static ObjectNode standardsJson() { return (ObjectNode) read("standards-2026.1.json"); }

    public static StandardsBundle standards() { return StandardsBundle.fromPayload(standardsJson()); }

    /** A fresh, mutable copy of an example case. */
    public static ObjectNode caseJson(String id) { return (ObjectNode) read("cases/" + id + ".json"); }
}
