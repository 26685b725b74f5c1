package io.tollgate.stream;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.Locale;

/**
 * How a reply of raw bytes that broke mid-way is cut, so the client's read fails instead of seeing a clean end: the
 * request is dispatched again and its servlet throws. After the response is committed, Tomcat answers that by closing
 * the connection without the final chunk; the exception is its own ClientAbortException, on which it logs no stack
 * trace and renders no error page. Jetty cannot be made to (see {@link #cuttable}).
 */
public final class ResponseAbort {
  static final String ATTRIBUTE = "io.tollgate.aborted";
  private static final Constructor<? extends IOException> QUIET = quiet();

  private ResponseAbort() {
  }

  /** On a dispatch {@link AsyncReply#abort} made: throws what makes the container cut the connection. */
  public static void throwIfAborted(HttpServletRequest request) throws IOException {
    Object why = request.getAttribute(ATTRIBUTE);
    if (why != null) {
      request.removeAttribute(ATTRIBUTE);
      throw exception(why.toString());
    }
  }

  /**
   * False on Jetty, which answers the exception after a committed response with the webapp's error page, ended
   * cleanly; and whose own abort (ServletChannel.abort) ends the request without telling its listeners, so the
   * request's log row and the drain's count would be lost. There the reply ends as before: cleanly, the row saying
   * why it was short.
   */
  static boolean cuttable(AsyncContext async) {
    return !async.getRequest().getServletContext().getServerInfo().toLowerCase(Locale.ROOT).startsWith("jetty");
  }

  private static IOException exception(String why) {
    if (QUIET != null) {
      try {
        return QUIET.newInstance(why);
      } catch (ReflectiveOperationException e) {
        // fall through to a plain one
      }
    }
    return new IOException(why);
  }

  private static Constructor<? extends IOException> quiet() {
    try {
      return Class.forName("org.apache.catalina.connector.ClientAbortException").asSubclass(IOException.class)
          .getConstructor(String.class);
    } catch (ReflectiveOperationException | ClassCastException | LinkageError notTomcat) {
      return null;
    }
  }
}
