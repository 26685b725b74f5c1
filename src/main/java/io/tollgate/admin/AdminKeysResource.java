package io.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.auth.KeyHashing;
import io.tollgate.config.ConfigException;
import io.tollgate.config.Names;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.persistence.ClientKeyRepository;
import io.tollgate.persistence.ClientKeyRecord;
import io.tollgate.sync.ChangeFeed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Client keys: created with their plaintext shown once, listed by prefix only, revoked by id. */
@Path("admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminKeysResource {
  private final ClientKeyRepository keys;
  private final ChangeFeed changes;

  public AdminKeysResource(ClientKeyRepository keys, ChangeFeed changes) {
    this.keys = keys;
    this.changes = changes;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response create(byte[] body) {
    String name = name(body);
    String key = KeyHashing.newKey();
    ClientKeyRecord created = keys.create(name, KeyHashing.sha256Hex(key), KeyHashing.displayPrefix(key), "admin");
    ObjectNode out = view(created);
    out.put("key", key);
    return Response.status(201).entity(out).build();
  }

  @GET
  public ObjectNode list() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    keys.list().forEach(k -> data.add(view(k)));
    return root;
  }

  @DELETE
  @Path("{id}")
  public ObjectNode revoke(@PathParam("id") String id) {
    long keyId;
    try {
      keyId = Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "key id must be a number", "id");
    }
    if (!keys.revoke(keyId)) {
      throw GatewayException.of(ErrorType.NOT_FOUND, "No active key with id " + keyId + ".");
    }
    changes.changed(ChangeFeed.Kind.KEYS);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", keyId);
    out.put("object", "key");
    out.put("revoked", true);
    return out;
  }

  private static String name(byte[] body) {
    if (body == null || body.length == 0) {
      return "unnamed";
    }
    JsonNode name = AdminBodies.object(body).get("name");
    if (name == null || name.isNull()) {
      return "unnamed";
    }
    if (!name.isTextual()) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "name must be a string", "name");
    }
    try {
      return Names.KEY.check(name.asText(), "name");
    } catch (ConfigException e) {
      throw AdminBodies.invalid(e);
    }
  }

  private static ObjectNode view(ClientKeyRecord k) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", k.id());
    o.put("object", "key");
    o.put("name", k.name());
    o.put("prefix", k.prefix());
    o.put("source", k.source());
    o.put("created_at", k.createdAt().toString());
    o.put("revoked_at", k.revokedAt() == null ? (String) null : k.revokedAt().toString());
    return o;
  }
}
