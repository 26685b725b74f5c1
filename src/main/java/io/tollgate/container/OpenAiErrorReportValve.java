package io.tollgate.container;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.res.StringManager;

/**
 * Tomcat's error report (a Host valve, in place of its {@link ErrorReportValve}) as OpenAI's JSON envelope, for what
 * Tomcat answers before the webapp: it never maps a request whose head it could not parse to a context
 * (CoyoteAdapter drops the URI of a request already in error), so no error page of the WAR can answer it. A head past
 * the connector's limits becomes a 431, as Jetty answers it, instead of Tomcat's 400. No stack trace, no version.
 */
public final class OpenAiErrorReportValve extends ErrorReportValve {
  // Tomcat's own messages for a head past maxHttpHeaderSize and past maxHeaderCount, in the JVM's locale as thrown.
  private static final String HEAD_TOO_LARGE = StringManager.getManager("org.apache.coyote.http11")
      .getString("iib.requestheadertoolarge.error");
  private static final String TOO_MANY_HEADERS = prefix(StringManager.getManager("org.apache.tomcat.util.http")
      .getString("headers.maxCountFail"));

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    // As ErrorReportValve: only an error nobody has written a body for, reported once, while I/O is allowed.
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    if (status == 400 && headTooLarge(throwable)) {
      status = 431;
      response.setStatus(status);
      response.setHeader("Connection", "close"); // Tomcat closes it anyway; 400 said so by itself, 431 does not
    }
    try {
      response.setContentType("application/json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(ConnectorErrors.json(status));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response was committed meanwhile: nothing left to tell it.
    }
  }

  private static boolean headTooLarge(Throwable t) {
    String message = t == null ? null : t.getMessage();
    return message != null && (message.equals(HEAD_TOO_LARGE)
        || !TOO_MANY_HEADERS.isEmpty() && message.startsWith(TOO_MANY_HEADERS));
  }

  private static String prefix(String pattern) {
    int argument = pattern.indexOf('{');
    return argument < 0 ? pattern : pattern.substring(0, argument);
  }
}
