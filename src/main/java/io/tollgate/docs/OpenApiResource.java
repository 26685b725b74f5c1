package io.tollgate.docs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tollgate.openai.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * GET /openapi.json: Tollgate's own API, written in openapi.yaml beside this class and served as JSON, with this
 * gateway's version and, as its server, the URL the document was asked for at (context path included).
 */
@Path("openapi.json")
public final class OpenApiResource {
  static final String RESOURCE = "openapi.yaml";

  private final ObjectNode document;

  public OpenApiResource(String version) {
    this.document = read();
    ((ObjectNode) document.get("info")).put("version", version);
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response document(@Context HttpServletRequest request) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    document.fields().forEachRemaining(field -> {
      out.set(field.getKey(), field.getValue());
      if (field.getKey().equals("info")) {
        out.putArray("servers").addObject().put("url", baseUrl(request));
      }
    });
    // The server named depends on the Host the request came with: no shared cache may hand it to another.
    return Response.ok(out).header("Cache-Control", "no-store").build();
  }

  /** Where this webapp answers for the request: its scheme, host, port unless the scheme's own, and context path. */
  static String baseUrl(HttpServletRequest request) {
    String scheme = request.getScheme();
    int port = request.getServerPort();
    boolean usual = port <= 0 || (port == 80 && scheme.equals("http")) || (port == 443 && scheme.equals("https"));
    String host = request.getServerName();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]"; // an IPv6 address
    }
    return scheme + "://" + host + (usual ? "" : ":" + port) + request.getContextPath();
  }

  private static ObjectNode read() {
    ObjectMapper yaml = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    try (InputStream in = OpenApiResource.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing beside " + OpenApiResource.class.getName());
      }
      JsonNode root = yaml.readTree(in);
      return (ObjectNode) root;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
