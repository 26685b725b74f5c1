package io.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.persistence.ClientKeyRepository;
import io.tollgate.persistence.UserRecord;
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
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Users, who own client keys: name (unique), email (optional, checked loosely). PATCH {"disabled": true} disables
 * one, and every key of theirs stops opening the gateway at once; DELETE of a user who still has keys is a 409
 * unless {@code ?cascade=true}, which deletes the keys too.
 */
@Path("admin/users")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminUsersResource extends AdminCollection<UserRecord> {
  private final Crud<UserRecord> crud;
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Set<String> FIELDS = Set.of("name", "email", "disabled");
  private static final Set<String> SHOWN = Set.of("id", "object", "created_at", "updated_at", "disabled_at");

  private final UserRepository users;
  private final ClientKeyRepository keys;

  AdminUsersResource(UserRepository users, ClientKeyRepository keys, ChangeFeed changes, Audit audit) {
    this.users = users;
    this.keys = keys;
    this.crud = new Crud<>(new Crud.Table<>("user", "id", Page.BY_ID, users::findAll, id -> userId(id)
        .flatMap(users::find), u -> String.valueOf(u.id()), AdminUsersResource::view), ChangeFeed.Kind.USERS,
        changes, audit);
  }

  private record Fields(String name, String email, boolean disabled) {
  }

  @Override
  Crud<UserRecord> crud() {
    return crud;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response create(@Context HttpServletRequest request, byte[] body) {
    Fields f = fields(AdminBodies.object(body));
    return crud.create(request, () -> {
      nameFree(f.name(), null);
      UserRecord created = users.create(f.name(), f.email());
      return f.disabled() ? users.update(created.id(), f.name(), f.email(), true).orElseThrow() : created;
    });
  }

  @PATCH
  @Path("{id}")
  @Consumes(MediaType.WILDCARD)
  public ObjectNode update(@Context HttpServletRequest request, @PathParam("id") String id, byte[] body) {
    ObjectNode patch = AdminBodies.object(body);
    return crud.change(request, "update", id, stored -> {
      ObjectNode merged = view(stored);
      merged.put("disabled", stored.disabledAt() != null);
      patch.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
      Fields f = fields(merged);
      nameFree(f.name(), stored.id());
      return users.update(stored.id(), f.name(), f.email(), f.disabled()).orElseThrow();
    });
  }

  @DELETE
  @Path("{id}")
  public ObjectNode delete(@Context HttpServletRequest request, @PathParam("id") String id,
      @QueryParam("cascade") String cascade) {
    if (cascade != null && !cascade.equals("true") && !cascade.equals("false")) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "cascade must be true or false", "cascade");
    }
    boolean withKeys = "true".equals(cascade);
    ObjectNode out = crud.delete(request, id, stored -> {
      long owned = keys.countByUser(stored.id());
      if (owned > 0 && !withKeys) {
        throw GatewayException.param(ErrorType.CONFLICT, "The user " + id + " still has " + owned + " key"
            + (owned == 1 ? "" : "s") + "; delete them first, or delete with ?cascade=true to delete them too.",
            "id");
      }
      users.delete(stored.id(), withKeys);
    });
    // The keys went with the user: what the authenticator holds of them must go too.
    crud.announce(ChangeFeed.Kind.KEYS);
    return out;
  }

  private void nameFree(String name, Long self) {
    users.findByName(name).filter(u -> self == null || u.id() != self).ifPresent(u -> {
      throw GatewayException.param(ErrorType.CONFLICT, "A user named '" + name + "' already exists (id " + u.id()
          + ").", "name");
    });
  }

  private static Fields fields(ObjectNode body) {
    AdminBodies.onlyFields(body, FIELDS, SHOWN, "a user");
    String name = AdminBodies.name(body);
    JsonNode email = body.get("email");
    if (email != null && !email.isNull() && (!email.isTextual() || email.asText().length() > 320
        || !EMAIL.matcher(email.asText()).matches())) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "email must look like name@example.com, or be null",
          "email");
    }
    JsonNode disabled = body.get("disabled");
    if (disabled != null && !disabled.isNull() && !disabled.isBoolean()) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "disabled must be true or false", "disabled");
    }
    return new Fields(name, email == null || email.isNull() ? null : email.asText(),
        disabled != null && disabled.asBoolean());
  }

  private static Optional<Long> userId(String id) {
    if (!id.matches("[0-9]{1,18}")) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "user id must be a number", "id");
    }
    return Optional.of(Long.parseLong(id));
  }

  static ObjectNode view(UserRecord u) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", u.id());
    o.put("object", "user");
    o.put("name", u.name());
    o.put("email", u.email());
    o.put("created_at", u.createdAt().toString());
    o.put("updated_at", u.updatedAt().toString());
    o.put("disabled_at", u.disabledAt() == null ? null : u.disabledAt().toString());
    return o;
  }
}
