package io.tollgate.docs;

import io.tollgate.pages.StaticFiles;
import io.tollgate.pages.StaticFiles.File;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * GET /docs: Swagger UI over /openapi.json, all of it served by the WAR itself: the page, its initializer
 * (/docs/swagger-initializer.js) and a fixed list of Swagger UI's files from the swagger-ui WebJar under
 * /webjars/swagger-ui/{version}/. Any other path under that prefix is a 404, and the WebJar's own index.html and
 * initializer (which point at a demo API elsewhere) are never served.
 */
public final class DocsServlet extends HttpServlet {
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  /** Scripts and styles from this origin only, no inline script; the CSS's icons are data: URLs. */
  static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final Map<String, String> WEBJAR_FILES = Map.of("swagger-ui-bundle.js", StaticFiles.JS,
      "swagger-ui.css", StaticFiles.CSS, "index.css", StaticFiles.CSS, "favicon-32x32.png", "image/png",
      "favicon-16x16.png", "image/png");

  private StaticFiles files;

  @Override
  public void init() throws ServletException {
    String version = StaticFiles.webjarVersion("org.webjars", "swagger-ui");
    String folder = "webjars/swagger-ui/" + version;
    String page = new String(own("docs.html"), StandardCharsets.UTF_8).replace("{{swagger-ui}}", folder);
    Map<String, File> all = new HashMap<>();
    all.put("/docs", File.inMemory(StaticFiles.utf8(page), StaticFiles.HTML, StaticFiles.REVALIDATE));
    all.put("/docs/swagger-initializer.js",
        File.inMemory(own("swagger-initializer.js"), StaticFiles.JS, StaticFiles.REVALIDATE));
    WEBJAR_FILES.forEach((file, type) -> all.put("/" + folder + "/" + file,
        File.onClassPath(WEBJAR + version + "/" + file, type)));
    files = new StaticFiles(all, POLICY);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String info = request.getPathInfo();
    files.serve(info == null ? request.getServletPath() : request.getServletPath() + info, request, response);
  }

  /** A file of this package (the page and its initializer). */
  private static byte[] own(String name) {
    return StaticFiles.read(DocsServlet.class.getPackageName().replace('.', '/') + "/" + name);
  }
}
