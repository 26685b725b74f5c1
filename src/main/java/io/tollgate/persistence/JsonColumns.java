package io.tollgate.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON kept in text columns (providers.api_keys, providers.options, models.targets, models.aliases).
 * Persistence imports nothing from the app, so it has its own small mapper rather than openai.Json. Errors never
 * echo the column's content: it may hold keys.
 */
final class JsonColumns {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
  private static final TypeReference<List<ModelRecord.Target>> TARGETS = new TypeReference<>() { };
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
  private static final TypeReference<KeyLimits> LIMITS = new TypeReference<>() { };

  private JsonColumns() {
  }

  static String writeStrings(List<String> values) {
    return write(values);
  }

  static List<String> readStrings(String json) {
    return read(json, STRINGS);
  }

  static String writeTargets(List<ModelRecord.Target> targets) {
    return write(targets);
  }

  static List<ModelRecord.Target> readTargets(String json) {
    return read(json, TARGETS);
  }

  /** Keys in sorted order, so the same options always give the same text and a rewrite is no change. */
  static String writeStringMap(Map<String, String> values) {
    return write(new TreeMap<>(values));
  }

  static Map<String, String> readStringMap(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return Map.copyOf(MAPPER.readValue(json, STRING_MAP));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("malformed JSON column: " + e.getClass().getSimpleName());
    }
  }

  static String writeLimits(KeyLimits limits) {
    return write(limits == null ? KeyLimits.NONE : limits);
  }

  static KeyLimits readLimits(String json) {
    if (json == null || json.isBlank()) {
      return KeyLimits.NONE;
    }
    try {
      return MAPPER.readValue(json, LIMITS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("malformed JSON column: " + e.getClass().getSimpleName());
    }
  }

  private static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON column: " + e.getClass().getSimpleName());
    }
  }

  private static <T> List<T> read(String json, TypeReference<List<T>> type) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try {
      return List.copyOf(MAPPER.readValue(json, type));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("malformed JSON column: " + e.getClass().getSimpleName());
    }
  }
}
