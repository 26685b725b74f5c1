package io.tollgate.console;

import io.tollgate.pages.StaticFiles;
import io.tollgate.pages.StaticFiles.File;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * GET /console: the admin console, a page of plain HTML, CSS and JavaScript modules under src/main/webapp/console,
 * and uPlot from its WebJar under /console/vendor/. The files are read once, at start, into memory (they are small),
 * so a request never reaches the file system and nothing outside the list is served. The page signs in with the
 * admin key and calls the admin API from the browser; this servlet holds no secret.
 */
public final class ConsoleServlet extends HttpServlet {
  private static final String ROOT = "/console/";
  /** Everything from this origin; no inline script or style, no frames, no form posts, no other host. */
  static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final Map<String, String> TYPES = Map.of("html", StaticFiles.HTML, "js", StaticFiles.JS, "css",
      StaticFiles.CSS, "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon");

  private StaticFiles files;

  @Override
  public void init() throws ServletException {
    Map<String, File> all = new HashMap<>();
    collect(getServletContext(), ROOT, all);
    if (!all.containsKey(ROOT + "index.html")) {
      throw new ServletException("the console's files are missing from the WAR (" + ROOT + "index.html)");
    }
    all.put(ROOT, all.get(ROOT + "index.html"));
    String uplot = "META-INF/resources/webjars/uplot/" + StaticFiles.webjarVersion("org.webjars.npm", "uplot")
        + "/dist/";
    all.put(ROOT + "vendor/uPlot.iife.min.js", vendor(uplot + "uPlot.iife.min.js", StaticFiles.JS));
    all.put(ROOT + "vendor/uPlot.min.css", vendor(uplot + "uPlot.min.css", StaticFiles.CSS));
    files = new StaticFiles(all, POLICY);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String info = request.getPathInfo();
    if (info == null) {
      // /console: the page's relative links need the trailing slash. A relative Location keeps any proxy's host.
      response.setStatus(HttpServletResponse.SC_FOUND);
      response.setHeader("Location", "console/");
      return;
    }
    files.serve(request.getServletPath() + info, request, response);
  }

  private static void collect(ServletContext context, String folder, Map<String, File> into) {
    Set<String> paths = context.getResourcePaths(folder);
    if (paths == null) {
      return;
    }
    for (String path : paths) {
      if (path.endsWith("/")) {
        collect(context, path, into);
        continue;
      }
      String type = TYPES.get(path.substring(path.lastIndexOf('.') + 1));
      if (type != null) {
        into.put(path, File.inMemory(read(context, path), type, StaticFiles.REVALIDATE));
      }
    }
  }

  private static byte[] read(ServletContext context, String path) {
    try (InputStream in = context.getResourceAsStream(path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** uPlot's file, in memory under a URL without its version: the console's own files name it that way. */
  private static File vendor(String resource, String type) {
    return File.inMemory(StaticFiles.read(resource), type, StaticFiles.REVALIDATE);
  }
}
