package io.tollgate.stream;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.lang.reflect.Constructor;

/**
 * How a reply of raw bytes that broke mid-way is cut, so the client's read fails instead of seeing a clean end: the
 * request is dispatched again and its servlet throws. After the response is committed, Tomcat and Jetty both answer
 * a thrown exception by closing the connection without the final chunk. On Tomcat it is its own
 * ClientAbortException, which it closes on without logging a stack trace (Jetty has no such class to look for).
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
