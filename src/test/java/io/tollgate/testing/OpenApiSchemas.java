package io.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.PathType;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Validates JSON against {@code components.schemas} of OpenAI's OpenAPI document, read as JSON Schema 2020-12.
 *
 * <p>All schemas become the {@code $defs} of one in-memory document, so {@code #/components/schemas/X} refs turn into
 * {@code #/$defs/X}. OpenAPI 3.0 leftovers are normalised first: {@code nullable: true} becomes "this schema or
 * null", and OpenAPI-only keywords, unknown keywords and non-standard formats are dropped.
 */
public final class OpenApiSchemas {

  /** A copy kept in the project, so a fresh clone's tests need nothing beside it; see openapi/README.md there. */
  static final String RESOURCE = "/openapi/openai-openapi.yaml";
  private static final String DOCUMENT = "https://tollgate.test/openai-openapi.json";
  private static final String COMPONENT_REF = "#/components/schemas/";
  private static final Set<String> SCHEMA_MAPS =
      Set.of("properties", "patternProperties", "$defs", "definitions", "dependentSchemas");
  private static final Set<String> SCHEMA_LISTS = Set.of("anyOf", "oneOf", "allOf", "prefixItems");
  private static final Set<String> SCHEMA_VALUES = Set.of("items", "additionalProperties", "not", "if", "then",
      "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties");
  // Everything else is OpenAPI-only (nullable, discriminator, example, x-*) or a typo in the spec (min_items).
  private static final Set<String> KEYWORDS = Set.of("$ref", "$defs", "allOf", "anyOf", "oneOf", "not", "if",
      "then", "else", "dependentSchemas", "prefixItems", "items", "contains", "properties", "patternProperties",
      "additionalProperties", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "type", "enum", "const",
      "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength",
      "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties",
      "minProperties", "required", "dependentRequired", "format", "title", "description", "default",
      "$recursiveRef");
  // unixtime, float, int64 ... are OpenAPI's own formats: drop them rather than depend on how unknown ones are treated.
  private static final Set<String> STANDARD_FORMATS =
      Set.of("date", "date-time", "time", "duration", "email", "uri", "uri-reference", "uuid", "ipv4", "ipv6");

  private static final AtomicInteger OTHERS = new AtomicInteger();
  private static volatile OpenApiSchemas instance;

  private final ObjectNode definitions;
  private final JsonSchema document;
  private final Map<String, JsonSchema> validators = new ConcurrentHashMap<>();
  private final ObjectMapper json = new ObjectMapper();

  private OpenApiSchemas(ObjectNode definitions) {
    this(definitions, DOCUMENT);
  }

  private OpenApiSchemas(ObjectNode definitions, String uri) {
    this.definitions = definitions;
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.set("$defs", definitions);
    this.document = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(URI.create(uri), root);
  }

  /** Loads the copy of OpenAI's document on the test class path ({@link #RESOURCE}) once per JVM. */
  public static OpenApiSchemas load() {
    OpenApiSchemas loaded = instance;
    if (loaded == null) {
      synchronized (OpenApiSchemas.class) {
        if (instance == null) {
          instance = new OpenApiSchemas(readSchemas(RESOURCE));
        }
        loaded = instance;
      }
    }
    return loaded;
  }

  /** The schemas of another OpenAPI document (Tollgate's own /openapi.json), read the same way. */
  public static OpenApiSchemas of(JsonNode openApiDocument) {
    JsonNode schemas = openApiDocument.path("components").path("schemas");
    if (!(schemas instanceof ObjectNode object)) {
      throw new IllegalArgumentException("the document has no components.schemas");
    }
    // A URI of its own, so no schema cache confuses it with OpenAI's or another one.
    return new OpenApiSchemas(normalised(object),
        "https://tollgate.test/document-" + OTHERS.incrementAndGet() + ".json");
  }

  public List<String> errors(String schemaName, JsonNode node) {
    Set<ValidationMessage> messages = validator(schemaName).validate(node);
    return messages.stream()
        .sorted(Comparator.comparing(m -> m.getInstanceLocation().toString()))
        .map(ValidationMessage::getMessage)
        .toList();
  }

  public void assertValid(String schemaName, String json) {
    JsonNode node;
    try {
      node = this.json.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + e.getMessage() + "): " + json, e);
    }
    List<String> errors = errors(schemaName, node);
    if (!errors.isEmpty()) {
      throw new AssertionError("JSON does not match schema " + schemaName + ":\n  "
          + String.join("\n  ", errors) + "\nJSON: " + json);
    }
  }

  private JsonSchema validator(String schemaName) {
    if (!definitions.has(schemaName)) {
      throw new IllegalArgumentException("no schema named " + schemaName + " in components.schemas");
    }
    return validators.computeIfAbsent(schemaName,
        name -> document.getSubSchema(new JsonNodePath(PathType.JSON_POINTER).append("$defs").append(name)));
  }

  private static ObjectNode readSchemas(String resource) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(64 * 1024 * 1024); // SnakeYAML's default (3 MB) is barely above the current spec
    YAMLMapper yaml = new YAMLMapper(YAMLFactory.builder().loaderOptions(options).build());
    try (InputStream in = OpenApiSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("OpenAPI document " + resource + " is not on the test class path");
      }
      JsonNode schemas = yaml.readTree(in).path("components").path("schemas");
      if (!(schemas instanceof ObjectNode object)) {
        throw new IllegalStateException(resource + " has no components.schemas");
      }
      return normalised(object);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static ObjectNode normalised(ObjectNode schemas) {
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    schemas.fields().forEachRemaining(e -> result.set(e.getKey(), normalise(e.getValue(), e.getKey())));
    return result;
  }

  /**
   * Returns a 2020-12 version of one OpenAPI schema object below component {@code owner}; non-schema values (enum,
   * default ...) are kept as they are.
   */
  static JsonNode normalise(JsonNode schema, String owner) {
    if (!(schema instanceof ObjectNode source)) {
      return schema;
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (!KEYWORDS.contains(key) || key.equals("format") && !STANDARD_FORMATS.contains(value.asText())) {
        continue;
      }
      if (key.equals("$ref") && value.asText().startsWith(COMPONENT_REF)) {
        out.put(key, "#/$defs/" + value.asText().substring(COMPONENT_REF.length()));
      } else if (key.equals("$recursiveRef")) {
        // Draft 2019-09 recursion (CompoundFilter): "#" means the component itself.
        out.put("$ref", "#/$defs/" + owner);
      } else if (value.isBoolean() && (key.equals("exclusiveMinimum") || key.equals("exclusiveMaximum"))) {
        // OpenAPI 3.0 form {minimum: 0, exclusiveMinimum: true} is {exclusiveMinimum: 0} since draft 6.
        String bound = key.equals("exclusiveMinimum") ? "minimum" : "maximum";
        if (value.asBoolean() && source.has(bound)) {
          out.set(key, source.get(bound));
        }
      } else if (SCHEMA_MAPS.contains(key) && value.isObject()) {
        ObjectNode map = out.putObject(key);
        value.fields().forEachRemaining(e -> map.set(e.getKey(), normalise(e.getValue(), owner)));
      } else if (SCHEMA_LISTS.contains(key) && value.isArray()) {
        ArrayNode list = out.putArray(key);
        value.forEach(item -> list.add(normalise(item, owner)));
      } else if (SCHEMA_VALUES.contains(key)) {
        out.set(key, normalise(value, owner));
      } else {
        out.set(key, value);
      }
    }
    if (!source.path("nullable").asBoolean(false)) {
      return out;
    }
    ObjectNode nullable = JsonNodeFactory.instance.objectNode();
    ArrayNode anyOf = nullable.putArray("anyOf");
    anyOf.add(out);
    anyOf.addObject().put("type", "null");
    return nullable;
  }
}
