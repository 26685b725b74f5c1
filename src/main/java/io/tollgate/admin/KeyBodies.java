package io.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.auth.StoredKeys;
import io.tollgate.config.ConfigException;
import io.tollgate.config.KeyFields;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.persistence.ClientKeyRecord;
import io.tollgate.persistence.KeyLimits;
import io.tollgate.persistence.KeySettings;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Client keys as the admin API reads and shows them. A body holds name, user_id and the policy fields of
 * {@link KeyFields}; a PATCH body is laid over the stored key's view first (null clears a field), so both are
 * checked by the same rules. The view never holds the key or its hash, only its prefix.
 */
final class KeyBodies {
  static final Set<String> EDITABLE;

  static {
    Set<String> names = new HashSet<>(KeyFields.NAMES);
    names.add("name");
    names.add("user_id");
    EDITABLE = Set.copyOf(names);
  }

  /** What GET shows beside the editable fields, so a view may be sent back as it is. */
  private static final Set<String> SHOWN = Set.of("id", "object", "prefix", "source", "created_at", "updated_at",
      "revoked_at", "previous_until");

  record Parsed(String name, KeySettings settings) {
  }

  private KeyBodies() {
  }

  /** A whole key body: name required, every field checked, user_id must name a user. */
  static Parsed parse(ObjectNode body, LongPredicate userExists) {
    AdminBodies.onlyFields(body, EDITABLE, SHOWN, "a key");
    String name = AdminBodies.name(body);
    Long userId = userId(body.get("user_id"), userExists);
    try {
      return new Parsed(name, StoredKeys.settings(KeyFields.read(body, ""), userId));
    } catch (ConfigException e) {
      throw AdminBodies.invalid(e);
    }
  }

  /** The stored key's editable view with the patch laid over it. */
  static ObjectNode patched(ClientKeyRecord stored, ObjectNode patch) {
    ObjectNode merged = view(stored);
    merged.retain(EDITABLE);
    patch.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
    return merged;
  }

  private static Long userId(JsonNode value, LongPredicate userExists) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "user_id must be the id of a user (a number) or null",
          "user_id");
    }
    if (!userExists.test(value.asLong())) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "user_id " + value.asLong() + " is not a known user;"
          + " create it first with POST /admin/users.", "user_id");
    }
    return value.asLong();
  }

  static ObjectNode view(ClientKeyRecord k) {
    KeySettings s = k.settings();
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", k.id());
    o.put("object", "key");
    o.put("name", k.name());
    o.put("prefix", k.prefix());
    o.put("source", k.source());
    o.put("user_id", s.userId());
    s.models().forEach(o.putArray("models")::add);
    s.ipAllow().forEach(o.putArray("ip_allow")::add);
    rates(o, s.limits());
    ObjectNode perModel = o.putObject("model_limits");
    s.limits().models().forEach((model, l) -> rates(perModel.putObject(model), l));
    o.put("expires_at", text(s.expiresAt()));
    o.put("token_quota", s.tokenQuota());
    o.put("budget_usd", s.budgetUsd() == null ? null : new BigDecimal(s.budgetUsd().stripTrailingZeros().toPlainString()));
    o.put("quota_period", s.quotaPeriod());
    o.put("cache_mode", s.cacheMode());
    o.put("created_at", text(k.createdAt()));
    o.put("updated_at", text(k.updatedAt()));
    o.put("revoked_at", text(k.revokedAt()));
    o.put("previous_until", text(k.previousUntil()));
    return o;
  }

  private static void rates(ObjectNode o, KeyLimits l) {
    o.put("rpm", l.rpm());
    o.put("rph", l.rph());
    o.put("tpm", l.tpm());
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
