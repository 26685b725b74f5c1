package io.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.config.BootstrapFile;
import io.tollgate.config.BootstrapFile.ModelEntry;
import io.tollgate.config.ConfigException;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.persistence.ModelRecord;
import io.tollgate.sync.ChangeFeed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Model entries (names or patterns, targets, aliases, capabilities), shaped like the bootstrap file's entries and
 * checked by the same rules; targets must name providers, and no public name may belong to two entries.
 */
@Path("admin/models")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminModelsResource extends AdminCollection<ModelRecord> {
  private final Crud<ModelRecord> crud;
  private final RoutingWrites writes;

  AdminModelsResource(RoutingWrites writes, ChangeFeed changes, Audit audit) {
    this.writes = writes;
    this.crud = new Crud<>(new Crud.Table<>("model", "name", Page.BY_NAME, writes.models::findAll,
        writes.models::find, ModelRecord::name, AdminModelsResource::view), ChangeFeed.Kind.MODELS, changes, audit);
  }

  @Override
  Crud<ModelRecord> crud() {
    return crud;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response create(@Context HttpServletRequest request, byte[] body) {
    ModelEntry entry = entry(AdminBodies.object(body));
    ModelRecord record = record(entry);
    return crud.createNew(request, record.name(), () -> {
      checkTargets(record);
      checkNamesFree(entry);
      writes.models.upsert(record);
      return record;
    });
  }

  @PUT
  @Path("{name: .+}")
  @Consumes(MediaType.WILDCARD)
  public ObjectNode update(@Context HttpServletRequest request, @PathParam("name") String name, byte[] body) {
    ObjectNode json = AdminBodies.object(body);
    AdminBodies.sameName(json, name);
    ModelEntry entry = entry(json);
    ModelRecord record = record(entry);
    return crud.change(request, "update", name, stored -> {
      checkTargets(record);
      checkNamesFree(entry);
      writes.models.upsert(record);
      return record;
    });
  }

  @DELETE
  @Path("{name: .+}")
  public ObjectNode delete(@Context HttpServletRequest request, @PathParam("name") String name) {
    return crud.delete(request, name, stored -> writes.models.delete(name));
  }

  private void checkTargets(ModelRecord record) {
    for (int i = 0; i < record.targets().size(); i++) {
      String provider = record.targets().get(i).provider();
      if (!writes.providerExists(provider)) {
        throw GatewayException.param(ErrorType.INVALID_REQUEST, "targets[" + i + "].provider '" + provider
            + "' is not a known provider; create it first with POST /admin/providers.", "targets[" + i + "].provider");
      }
    }
  }

  private static ModelEntry entry(ObjectNode json) {
    try {
      return BootstrapFile.model(json);
    } catch (ConfigException e) {
      throw AdminBodies.invalid(e);
    }
  }

  /** No other model may have this entry's name or one of its aliases, as a name or as an alias. */
  private void checkNamesFree(ModelEntry entry) {
    List<ModelEntry> others = writes.models.findAll().stream().filter(m -> !m.name().equals(entry.name()))
        .map(m -> new ModelEntry(m.name(), List.of(), m.aliases(), null, true, true)).toList();
    try {
      BootstrapFile.checkNamesFree(entry, others);
    } catch (ConfigException e) {
      throw AdminBodies.conflict(e);
    }
  }

  private static ModelRecord record(ModelEntry e) {
    return new ModelRecord(e.name(), e.targets().stream()
        .map(t -> new ModelRecord.Target(t.provider(), t.model(), t.priority(), t.weight())).toList(), e.aliases(),
        e.maxTokens(), e.supportsStreaming(), e.supportsTools());
  }

  private static ObjectNode view(ModelRecord m) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("object", "model");
    o.put("name", m.name());
    ArrayNode targets = o.putArray("targets");
    for (int i = 0; i < m.targets().size(); i++) {
      ModelRecord.Target t = m.targets().get(i);
      targets.addObject().put("provider", t.provider()).put("model", t.model())
          .put("priority", t.priority() == null ? i : t.priority()).put("weight", t.weight() == null ? 1 : t.weight());
    }
    m.aliases().forEach(o.putArray("aliases")::add);
    if (m.maxTokens() == null) {
      o.putNull("max_tokens");
    } else {
      o.put("max_tokens", m.maxTokens());
    }
    o.put("supports_streaming", m.supportsStreaming());
    o.put("supports_tools", m.supportsTools());
    return o;
  }
}
