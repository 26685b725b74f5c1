package io.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.config.ConfigException;
import io.tollgate.config.Names;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading admin request bodies, shared by the admin resources. */
final class AdminBodies {
  /** The key path an entry check names first ("base_url is required", "targets[0].provider is required"). */
  private static final Pattern LEADING_KEY = Pattern.compile("^([a-z_]+(\\[\\d+])?(\\.[a-z_]+)*) ");

  private AdminBodies() {
  }

  static ObjectNode object(byte[] body) {
    JsonNode root;
    try {
      root = body == null || body.length == 0 ? null : Json.tree(body);
    } catch (Exception e) {
      throw GatewayException.of(ErrorType.INVALID_JSON, "The request body is not valid JSON.");
    }
    if (!(root instanceof ObjectNode object)) {
      throw GatewayException.of(ErrorType.INVALID_REQUEST, "The request body must be a JSON object.");
    }
    return object;
  }

  /** A body that failed the bootstrap file's entry rules, as a 400 naming the offending key. */
  static GatewayException invalid(ConfigException e) {
    Matcher m = LEADING_KEY.matcher(e.getMessage());
    return GatewayException.param(ErrorType.INVALID_REQUEST, e.getMessage(), m.find() ? m.group(1) : null);
  }

  /** A body whose names clash with what is stored, as a 409 naming the offending key. */
  static GatewayException conflict(ConfigException e) {
    Matcher m = LEADING_KEY.matcher(e.getMessage());
    return GatewayException.param(ErrorType.CONFLICT, e.getMessage(), m.find() ? m.group(1) : null);
  }

  /** The name in a PUT body must be the one in the path, or absent; renaming is a create and a delete. */
  static void sameName(ObjectNode body, String name) {
    JsonNode given = body.get("name");
    if (given != null && !given.isNull() && !given.asText().strip().equals(name)) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "The name in the body must be '" + name
          + "' or left out: renaming is not supported, create the new name and delete the old one.", "name");
    }
    body.put("name", name);
  }

  /**
   * Refuses a field that is neither one the entity takes nor one its view shows (which may be sent back as shown);
   * the message lists what it takes.
   */
  static void onlyFields(ObjectNode body, Set<String> takes, Set<String> shown, String what) {
    body.fieldNames().forEachRemaining(field -> {
      if (!takes.contains(field) && !shown.contains(field)) {
        throw GatewayException.param(ErrorType.INVALID_REQUEST, "Unknown field '" + field + "'; " + what
            + " takes " + String.join(", ", takes.stream().sorted().toList()) + ".", field);
      }
    });
  }

  /** The required name of a key or user, checked by the name rules. */
  static String name(ObjectNode body) {
    JsonNode name = body.get("name");
    if (name == null || name.isNull()) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "name is required", "name");
    }
    if (!name.isTextual()) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "name must be a string", "name");
    }
    try {
      return Names.KEY.check(name.asText(), "name");
    } catch (ConfigException e) {
      throw invalid(e);
    }
  }
}
