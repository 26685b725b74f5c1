package io.tollgate.pages;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.error.OpenAiErrors;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * A fixed set of files served by path, for the pages the WAR serves itself (/docs, /console). Nothing is looked up by
 * a name the client chose: a path not in the set is a 404 in OpenAI's shape. HTML gets the page's security headers.
 */
public final class StaticFiles {
  public static final String HTML = "text/html;charset=UTF-8";
  public static final String JS = "text/javascript;charset=UTF-8";
  public static final String CSS = "text/css;charset=UTF-8";
  /** For files under a folder that names their version: a new version is a new URL. */
  public static final String FOREVER = "public, max-age=31536000, immutable";
  /** For files whose URL stays the same across versions: the browser asks again, and the ETag makes that cheap. */
  public static final String REVALIDATE = "no-cache";

  /** A file held in memory (with its ETag), or read from the class path at each request (large WebJar files). */
  public record File(byte[] inMemory, String resource, String type, String cacheControl, String etag) {
    public static File inMemory(byte[] bytes, String type, String cacheControl) {
      return new File(bytes, null, type, cacheControl, etagOf(bytes));
    }

    public static File onClassPath(String resource, String type) {
      return new File(null, resource, type, FOREVER, null);
    }
  }

  private final Map<String, File> files;
  private final String policy;

  /** {@code policy} is the Content-Security-Policy of the HTML files. */
  public StaticFiles(Map<String, File> files, String policy) {
    this.files = Map.copyOf(files);
    this.policy = policy;
  }

  public boolean has(String path) {
    return files.containsKey(path);
  }

  public void serve(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
    File file = files.get(path);
    URL url = file == null || file.inMemory() != null ? null : loader().getResource(file.resource());
    if (file == null || (file.inMemory() == null && url == null)) {
      OpenAiErrors.write(response, GatewayException.of(ErrorType.NOT_FOUND, "There is no such file."));
      return;
    }
    response.setContentType(file.type());
    response.setHeader("Cache-Control", file.cacheControl());
    response.setHeader("X-Content-Type-Options", "nosniff");
    if (file.type().startsWith("text/html")) {
      response.setHeader("Content-Security-Policy", policy);
      response.setHeader("Referrer-Policy", "no-referrer");
      response.setHeader("X-Frame-Options", "DENY"); // frame-ancestors for browsers that predate it
    }
    if (file.etag() != null) {
      response.setHeader("ETag", file.etag());
      if (file.etag().equals(request.getHeader("If-None-Match"))) {
        response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
        return;
      }
    }
    if (file.inMemory() != null) {
      response.setContentLength(file.inMemory().length);
      response.getOutputStream().write(file.inMemory());
      return;
    }
    try (InputStream in = url.openStream(); OutputStream out = response.getOutputStream()) {
      in.transferTo(out);
    }
  }

  /** The version of a WebJar in WEB-INF/lib, from its pom.properties: the folder its files live in. */
  public static String webjarVersion(String group, String artifact) throws ServletException {
    String pom = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = loader().getResourceAsStream(pom)) {
      if (in == null) {
        throw new ServletException("the " + artifact + " WebJar is not in WEB-INF/lib (" + pom + " is missing)");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new ServletException("cannot read " + pom, e);
    }
  }

  /** A file on the class path, whole; a missing one is a packaging mistake, so it stops the start. */
  public static byte[] read(String resource) {
    try (InputStream in = loader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String etagOf(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ClassLoader loader() {
    return StaticFiles.class.getClassLoader();
  }
}
