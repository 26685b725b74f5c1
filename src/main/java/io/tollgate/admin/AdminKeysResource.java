package io.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.auth.KeyHashing;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.persistence.ClientKeyRecord;
import io.tollgate.persistence.ClientKeyRepository;
import io.tollgate.persistence.UserRepository;
import io.tollgate.sync.ChangeFeed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Client keys: created and rotated with their secret shown once, listed by prefix only, changed by PATCH, revoked
 * (POST .../revoke, or DELETE as before), put back into use (POST .../enable) and deleted for good with DELETE
 * ...?purge=true.
 */
@Path("admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminKeysResource extends AdminCollection<ClientKeyRecord> {
  private final Crud<ClientKeyRecord> crud;
  static final Duration DEFAULT_GRACE = Duration.ofHours(24);

  private final ClientKeyRepository keys;
  private final UserRepository users;

  AdminKeysResource(ClientKeyRepository keys, UserRepository users, ChangeFeed changes, Audit audit) {
    this.keys = keys;
    this.users = users;
    this.crud = new Crud<>(new Crud.Table<>("key", "id", Page.BY_ID, keys::list, id -> keys.find(keyId(id)),
        k -> String.valueOf(k.id()), KeyBodies::view), ChangeFeed.Kind.KEYS, changes, audit);
  }

  @Override
  Crud<ClientKeyRecord> crud() {
    return crud;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response create(@Context HttpServletRequest request, byte[] body) {
    KeyBodies.Parsed parsed = KeyBodies.parse(AdminBodies.object(body), this::userExists);
    String key = KeyHashing.newKey();
    Response created = crud.create(request, () -> keys.create(parsed.name(), KeyHashing.sha256Hex(key),
        KeyHashing.displayPrefix(key), "admin", parsed.settings()));
    ((ObjectNode) created.getEntity()).put("key", key);
    return created;
  }

  @PATCH
  @Path("{id}")
  @Consumes(MediaType.WILDCARD)
  public ObjectNode update(@Context HttpServletRequest request, @PathParam("id") String id, byte[] body) {
    ObjectNode patch = AdminBodies.object(body);
    return crud.change(request, "update", id, stored -> {
      KeyBodies.Parsed parsed = KeyBodies.parse(KeyBodies.patched(stored, patch), this::userExists);
      return keys.update(stored.id(), parsed.name(), parsed.settings()).orElseThrow();
    });
  }

  @POST
  @Path("{id}/revoke")
  @Consumes(MediaType.WILDCARD)
  public ObjectNode revoke(@Context HttpServletRequest request, @PathParam("id") String id) {
    return crud.change(request, "revoke", id, stored -> {
      if (!keys.revoke(stored.id())) {
        throw noActiveKey(id);
      }
      return keys.find(stored.id()).orElseThrow();
    });
  }

  /** Puts a revoked key back into use, with the secret it had (an admin's undo of a revocation). */
  @POST
  @Path("{id}/enable")
  @Consumes(MediaType.WILDCARD)
  public ObjectNode enable(@Context HttpServletRequest request, @PathParam("id") String id) {
    return crud.change(request, "enable", id, stored -> {
      if (!keys.restore(stored.id())) {
        throw GatewayException.param(ErrorType.CONFLICT, "The key " + id + " is not revoked.", "id");
      }
      return keys.find(stored.id()).orElseThrow();
    });
  }

  /**
   * Revokes, as DELETE always has (a revoked key's id then answers 404); with {@code purge=true} the row is deleted
   * for good, revoked or not.
   */
  @DELETE
  @Path("{id}")
  public ObjectNode delete(@Context HttpServletRequest request, @PathParam("id") String id,
      @QueryParam("purge") String purge) {
    if ("true".equals(purge)) {
      return crud.delete(request, id, stored -> keys.delete(stored.id()));
    }
    if (purge != null && !"false".equals(purge)) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "purge must be true or false", "purge");
    }
    ObjectNode view = revoke(request, id);
    view.put("revoked", true);
    return view;
  }

  /**
   * A new secret under the same id, shown once; the old one keeps working for {@code grace} (seconds or an
   * ISO-8601 duration such as PT1H; default 24 hours; 0 stops it at once).
   */
  @POST
  @Path("{id}/rotate")
  @Consumes(MediaType.WILDCARD)
  public ObjectNode rotate(@Context HttpServletRequest request, @PathParam("id") String id, byte[] body) {
    Duration grace = grace(body == null || body.length == 0 ? null : AdminBodies.object(body));
    String key = KeyHashing.newKey();
    ObjectNode view = crud.change(request, "rotate", id, stored -> keys.rotate(stored.id(),
        KeyHashing.sha256Hex(key), KeyHashing.displayPrefix(key), Instant.now().plus(grace))
        .orElseThrow(() -> noActiveKey(id)));
    view.put("key", key);
    return view;
  }

  private static Duration grace(ObjectNode body) {
    JsonNode value = body == null ? null : body.get("grace");
    if (body != null) {
      AdminBodies.onlyFields(body, Set.of("grace"), Set.of(), "rotate");
    }
    if (value == null || value.isNull()) {
      return DEFAULT_GRACE;
    }
    Duration d = null;
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      d = Duration.ofSeconds(value.asLong());
    } else if (value.isTextual()) {
      try {
        d = Duration.parse(value.asText());
      } catch (DateTimeParseException e) {
        d = null;
      }
    }
    if (d == null || d.isNegative() || d.compareTo(Duration.ofDays(366)) > 0) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "grace must be a number of seconds or an ISO-8601"
          + " duration such as PT1H, from 0 to a year", "grace");
    }
    return d;
  }

  private boolean userExists(long id) {
    return users.find(id).isPresent();
  }

  private static GatewayException noActiveKey(String id) {
    return GatewayException.param(ErrorType.NOT_FOUND, "No active key with id " + id + ".", "id");
  }

  private static long keyId(String id) {
    if (!id.matches("[0-9]{1,18}")) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "key id must be a number", "id");
    }
    return Long.parseLong(id);
  }
}
