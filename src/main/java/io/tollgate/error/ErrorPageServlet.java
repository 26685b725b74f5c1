package io.tollgate.error;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * The webapp's error page for every status and throwable the container would otherwise answer with its own HTML
 * page (a stack trace and the server's version): the client's dialect, a fixed message, and for a throwable only an
 * id that the log holds.
 */
public final class ErrorPageServlet extends HttpServlet {
  private static final Map<Integer, ErrorType> TYPES = Map.of(400, ErrorType.INVALID_REQUEST,
      401, ErrorType.INVALID_API_KEY, 403, ErrorType.PERMISSION_DENIED, 404, ErrorType.NOT_FOUND,
      405, ErrorType.METHOD_NOT_ALLOWED, 408, ErrorType.REQUEST_TIMEOUT, 413, ErrorType.REQUEST_TOO_LARGE,
      415, ErrorType.UNSUPPORTED_MEDIA_TYPE, 429, ErrorType.RATE_LIMITED, 503, ErrorType.SERVICE_UNAVAILABLE);

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    GatewayException e = request.getDispatcherType() == DispatcherType.ERROR ? error(request)
        : GatewayException.of(ErrorType.NOT_FOUND, message(404));
    String uri = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
    response.setStatus(e.status());
    if (uri.endsWith("/messages") || uri.endsWith("/messages/count_tokens")) {
      AnthropicErrors.write(response, e);
    } else {
      OpenAiErrors.write(response, e);
    }
  }

  static GatewayException error(HttpServletRequest request) {
    Object thrown = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    if (thrown instanceof GatewayException g) {
      return g;
    }
    if (thrown instanceof Throwable t && (malformedRequest(t) || clientGone(t))) {
      return GatewayException.of(ErrorType.INVALID_REQUEST, message(400));
    }
    if (thrown instanceof Throwable t) {
      return InternalErrors.logged(t, String.valueOf(request.getAttribute("io.tollgate.requestId")));
    }
    int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer s ? s : 500;
    if (status < 400 || status > 599) {
      status = 500;
    }
    ErrorType type = TYPES.getOrDefault(status, status < 500 ? ErrorType.INVALID_REQUEST : ErrorType.INTERNAL);
    return GatewayException.upstream(type, status, message(status), null, null, Map.of());
  }

  /** The containers' own exceptions for a request they cannot parse (Tomcat's BadRequestException, Jetty's BadMessageException). */
  private static boolean malformedRequest(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String name = c.getClass().getSimpleName();
      if (name.equals("BadRequestException") || name.equals("BadMessageException")) {
        return true;
      }
    }
    return false;
  }

  /** A read that failed because the client went away mid-body (an upload, say): its error, not ours to log. */
  private static boolean clientGone(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.io.EOFException || c.getClass().getSimpleName().equals("ClientAbortException")) {
        return true;
      }
    }
    return false;
  }

  private static String message(int status) {
    return switch (status) {
      case 400 -> "The request could not be understood.";
      case 404 -> "Unknown path; GET / lists the endpoints.";
      case 405 -> "Method not allowed here.";
      case 408 -> "The request did not arrive within the time allowed.";
      case 413 -> "The request is too large.";
      case 414 -> "The request URI is too long.";
      case 415 -> "Send the body as application/json.";
      case 431 -> "The request headers are too large.";
      case 503 -> "The gateway is not ready to serve requests.";
      default -> status < 500 ? "The request was refused (HTTP " + status + ")."
          : "The gateway failed to handle this request (HTTP " + status + ").";
    };
  }
}
