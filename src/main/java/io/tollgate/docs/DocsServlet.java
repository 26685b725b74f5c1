package io.tollgate.docs;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.error.OpenAiErrors;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * GET /docs: Swagger UI over /openapi.json, all of it served by the WAR itself: the page, its initializer
 * (/docs/swagger-initializer.js) and a fixed list of Swagger UI's files from the swagger-ui WebJar under
 * /webjars/swagger-ui/{version}/. Nothing is looked up by a name the client chose: any other path under that prefix is
 * a 404, and the WebJar's own index.html and initializer (which point at a demo API elsewhere) are never served.
 */
public final class DocsServlet extends HttpServlet {
  /** Where the WebJar keeps its files, and the pom.properties that names its version. */
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final String WEBJAR_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
  /** Scripts and styles from this origin only, no inline script; the CSS's icons are data: URLs. */
  static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final String JS = "text/javascript;charset=UTF-8";
  private static final String CSS = "text/css;charset=UTF-8";
  private static final Map<String, String> WEBJAR_FILES = Map.of("swagger-ui-bundle.js", JS, "swagger-ui.css", CSS,
      "index.css", CSS, "favicon-32x32.png", "image/png", "favicon-16x16.png", "image/png");

  /** A file served as it is: what it is and how long a browser may keep it. */
  private record Asset(byte[] inMemory, String resource, String type, String cacheControl) {
  }

  private Map<String, Asset> assets;

  @Override
  public void init() throws ServletException {
    String version = webjarVersion();
    String folder = "webjars/swagger-ui/" + version;
    byte[] page = new String(own("docs.html"), StandardCharsets.UTF_8).replace("{{swagger-ui}}", folder)
        .getBytes(StandardCharsets.UTF_8);
    Map<String, Asset> all = new java.util.HashMap<>();
    all.put("/docs", new Asset(page, null, "text/html;charset=UTF-8", "no-cache"));
    all.put("/docs/swagger-initializer.js", new Asset(own("swagger-initializer.js"), null, JS, "no-cache"));
    // The folder names the version: a new one is a new URL, so a browser may keep these for good.
    WEBJAR_FILES.forEach((file, type) -> all.put("/" + folder + "/" + file,
        new Asset(null, WEBJAR + version + "/" + file, type, "public, max-age=31536000, immutable")));
    assets = Map.copyOf(all);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String info = request.getPathInfo();
    Asset asset = assets.get(info == null ? request.getServletPath() : request.getServletPath() + info);
    URL url = asset == null || asset.inMemory() != null ? null : loader().getResource(asset.resource());
    if (asset == null || (asset.inMemory() == null && url == null)) {
      OpenAiErrors.write(response, GatewayException.of(ErrorType.NOT_FOUND, "There is no such file."));
      return;
    }
    response.setContentType(asset.type());
    response.setHeader("Cache-Control", asset.cacheControl());
    response.setHeader("X-Content-Type-Options", "nosniff");
    if (asset.type().startsWith("text/html")) {
      response.setHeader("Content-Security-Policy", POLICY);
      response.setHeader("Referrer-Policy", "no-referrer");
      response.setHeader("X-Frame-Options", "DENY"); // frame-ancestors for browsers that predate it
    }
    if (asset.inMemory() != null) {
      response.setContentLength(asset.inMemory().length);
      response.getOutputStream().write(asset.inMemory());
      return;
    }
    try (InputStream in = url.openStream(); OutputStream out = response.getOutputStream()) {
      in.transferTo(out);
    }
  }

  private static String webjarVersion() throws ServletException {
    try (InputStream in = loader().getResourceAsStream(WEBJAR_POM)) {
      if (in == null) {
        throw new ServletException("the swagger-ui WebJar is not in WEB-INF/lib (" + WEBJAR_POM + " is missing)");
      }
      Properties pom = new Properties();
      pom.load(in);
      return pom.getProperty("version");
    } catch (IOException e) {
      throw new ServletException("cannot read " + WEBJAR_POM, e);
    }
  }

  /** A file of this package (the page and its initializer). */
  private static byte[] own(String name) {
    try (InputStream in = DocsServlet.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing beside " + DocsServlet.class.getName());
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ClassLoader loader() {
    return DocsServlet.class.getClassLoader();
  }
}
