package io.tollgate.filter;

import io.tollgate.Gateway;
import io.tollgate.cost.Billing;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.lifecycle.Drain;
import io.tollgate.usage.RequestLog;
import io.tollgate.usage.RequestLogWriter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import io.tollgate.openai.Ids;
import io.tollgate.trace.TraceContext;

/**
 * Hands every request to the {@link RequestLogWriter} when its response really ends (for streams, after the last
 * event): one JSON access-log line for each, one request-log row for the API requests. Never logs headers, query
 * strings or bodies, so keys cannot leak. It also counts what is in flight for the {@link Drain}, and while the gateway
 * stops refuses new requests with a 503 (health and metrics still answer, so a balancer sees the instance go).
 */
public final class AccessLogFilter extends HttpFilter {
  private static final int MAX_PATH = 300;
  private static final GatewayException STOPPING = GatewayException.of(ErrorType.SERVICE_UNAVAILABLE,
      "The gateway is stopping; retry in a moment (another instance may answer).",
      Map.of("Retry-After", Drain.RETRY_AFTER_SECONDS));

  private RequestLogWriter logWriter;
  private Billing billing;
  private Drain drain;

  @Override
  public void init() {
    Gateway gateway = Gateway.from(getServletContext());
    logWriter = gateway.logWriter();
    billing = new Billing(gateway.prices());
    drain = gateway.drain();
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Object id = request.getAttribute(RequestIdFilter.ATTRIBUTE);
    RequestLog log = new RequestLog(id != null ? id.toString() : Ids.random("req_"),
        (TraceContext) request.getAttribute(TraceContext.ATTRIBUTE));
    request.setAttribute(RequestLog.ATTRIBUTE, log);
    String routed = Paths.of(request);
    String path = loggable(Paths.raw(request));
    boolean open = Paths.open(routed);
    boolean recorded = !open && !Paths.admin(routed) && !Paths.preflight(request);
    boolean counted = !open && drain.enter();
    if (!open && !counted) {
      ClientErrors.refuse(request, response, STOPPING);
      finish(log, request.getMethod(), path, response.getStatus(), recorded, false);
      return;
    }
    boolean failed = true;
    try {
      chain.doFilter(request, response);
      failed = false;
    } finally {
      if (request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new Finish(log, request.getMethod(), path, response, recorded,
            counted));
      } else {
        // A throwable on its way out becomes the container's error page, a 500, not the 200 set so far.
        finish(log, request.getMethod(), path, failed ? 500 : response.getStatus(), recorded, counted);
      }
    }
  }

  /** API requests get a row, and so does every request refused, whatever its path. */
  private void finish(RequestLog log, String method, String path, int status, boolean recorded, boolean counted) {
    billing.settle(log); // a stream that ended without the upstream's usage is billed for what was sent
    logWriter.submit(log.finish(method, path, status), recorded || status >= 400);
    if (counted) {
      drain.leave(); // after the row is queued: a drain that sees nothing in flight can flush every row
    }
  }

  /** The path as sent (a refused trick is logged as it came), cut to the column's width. */
  private static String loggable(String raw) {
    return raw.length() <= MAX_PATH ? raw : raw.substring(0, MAX_PATH);
  }

  private final class Finish implements AsyncListener {
    private final RequestLog log;
    private final String method;
    private final String path;
    private final HttpServletResponse response;
    private final boolean recorded;
    private final boolean counted;

    Finish(RequestLog log, String method, String path, HttpServletResponse response, boolean recorded,
        boolean counted) {
      this.log = log;
      this.method = method;
      this.path = path;
      this.response = response;
      this.recorded = recorded;
      this.counted = counted;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      finish(log, method, path, response.getStatus(), recorded, counted);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
    }

    @Override
    public void onError(AsyncEvent event) {
      log.error("client connection failed");
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
