package io.tollgate.v1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import io.tollgate.failover.Failover;
import io.tollgate.routing.Provider;
import io.tollgate.routing.Router;
import io.tollgate.usage.RequestLogWriter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.tollgate.lifecycle.Readiness;
import java.util.List;

/** GET / (what this is and where its endpoints are), GET /healthz and /health: all open without a key. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class RootResource {
  /**
   * Every route of the WAR, the OpenAI and Anthropic ones in their /v1 form (also served without /v1 and under
   * /api/v1; the admin ones also under /api/v1/admin, with /api/v1/admin/api-keys for keys). RootEndpointsTest holds
   * this list against web.xml and the Jersey resources, both ways, and ApiDocsTest against /openapi.json. The files
   * /docs and /console load (their scripts and styles) are not endpoints, and not listed.
   */
  static final List<String> ENDPOINTS = List.of(
      "POST /v1/chat/completions", "POST /v1/completions", "POST /v1/embeddings",
      "POST /v1/messages", "POST /v1/messages/count_tokens", "POST /v1/responses",
      "GET /v1/responses/{id}", "DELETE /v1/responses/{id}",
      "POST /v1/images/generations", "POST /v1/images/edits", "POST /v1/audio/transcriptions",
      "POST /v1/audio/translations", "POST /v1/audio/speech", "POST /v1/moderations",
      "GET /v1/models", "GET /v1/models/{id}",
      "GET /v1/sessions/{id}", "DELETE /v1/sessions/{id}", "GET /context/{id}", "DELETE /context/{id}",
      "GET /", "GET /healthz", "GET /health", "GET /metrics", "GET /openapi.json", "GET /docs",
      "GET /console",
      "GET /admin/keys", "POST /admin/keys", "GET /admin/keys/{id}", "PATCH /admin/keys/{id}",
      "POST /admin/keys/{id}/revoke", "POST /admin/keys/{id}/enable", "POST /admin/keys/{id}/rotate",
      "DELETE /admin/keys/{id}",
      "GET /admin/users", "POST /admin/users", "GET /admin/users/{id}", "PATCH /admin/users/{id}",
      "DELETE /admin/users/{id}",
      "GET /admin/prices", "POST /admin/prices", "GET /admin/prices/{model}", "PUT /admin/prices/{model}",
      "DELETE /admin/prices/{model}", "GET /admin/audit", "DELETE /admin/cache",
      "GET /admin/providers", "POST /admin/providers", "GET /admin/providers/{name}", "PUT /admin/providers/{name}",
      "DELETE /admin/providers/{name}", "POST /admin/providers/{name}/keys/{n}/enable",
      "POST /admin/providers/{name}/test",
      "GET /admin/models", "POST /admin/models", "GET /admin/models/{name}", "PUT /admin/models/{name}",
      "DELETE /admin/models/{name}", "GET /admin/stats", "GET /admin/stats/series",
      "GET /admin/logs",
      "GET /admin/logs/{request_id}");

  private final String version;
  private final RequestLogWriter logWriter;
  private final Router router;
  private final Failover failover;
  private final Readiness readiness;

  RootResource(String version, RequestLogWriter logWriter, Router router, Failover failover, Readiness readiness) {
    this.version = version;
    this.logWriter = logWriter;
    this.router = router;
    this.failover = failover;
    this.readiness = readiness;
  }

  @GET
  public ObjectNode root() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("name", "Tollgate");
    root.put("description", "OpenAI-compatible gateway for large language models");
    root.put("version", version);
    ENDPOINTS.forEach(root.putArray("endpoints")::add);
    return root;
  }

  /** Liveness: the webapp answers. Cheap, and never fails because of a database or an upstream. */
  @GET
  @Path("healthz")
  public ObjectNode liveness() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("status", "ok");
    root.put("version", version);
    requestLog(root);
    return root;
  }

  /**
   * Readiness: 503 while the database does not answer or the gateway is stopping. Upstream trouble is reported
   * here, and never makes the instance unready: another instance would reach the same upstreams.
   */
  @GET
  @Path("health")
  public Response readiness() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    Readiness.DatabaseState db = readiness.database();
    boolean draining = readiness.draining();
    root.put("status", draining ? "stopping" : db.up() ? "ok" : "unavailable");
    root.put("version", version);
    ObjectNode database = root.putObject("database");
    database.put("status", db.up() ? "up" : "down");
    database.put("ms", db.millis());
    if (db.error() != null) {
      database.put("error", db.error());
    }
    requestLog(root);
    ObjectNode providers = root.putObject("providers");
    router.table().providers().values().stream().map(Provider::name).sorted().forEach(name -> {
      ObjectNode p = providers.putObject(name);
      p.set("keys", failover.pools().summary(name));
      p.set("circuits", failover.breakers().states(name));
    });
    return Response.status(db.up() && !draining ? 200 : 503).entity(root).build();
  }

  private void requestLog(ObjectNode root) {
    ObjectNode log = root.putObject("request_log");
    log.put("pending", logWriter.pending());
    log.put("written", logWriter.written());
    log.put("dropped", logWriter.dropped());
    log.put("access_lines_dropped", logWriter.droppedLines());
  }
}
