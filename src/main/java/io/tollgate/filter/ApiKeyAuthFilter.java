package io.tollgate.filter;

import com.github.benmanes.caffeine.cache.Ticker;
import io.tollgate.Gateway;
import io.tollgate.auth.AdminActor;
import io.tollgate.auth.ApiKeyAuthenticator;
import io.tollgate.auth.AuthFailures;
import io.tollgate.auth.Caller;
import io.tollgate.auth.KeyRules;
import io.tollgate.auth.PresentedKeys;
import io.tollgate.config.GatewayConfig;
import io.tollgate.config.Secret;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.usage.RequestLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lets a request in with a client key (or, for /admin, the admin key). Sets the caller and, for providers that
 * pass the caller's own upstream key through, the bearer token that was not itself a gateway key.
 */
public final class ApiKeyAuthFilter extends HttpFilter {
  public static final String UPSTREAM_TOKEN = "io.tollgate.upstreamToken";

  private ApiKeyAuthenticator auth;
  private GatewayConfig config;
  private AuthFailures failures;

  @Override
  public void init() {
    Gateway gateway = Gateway.from(getServletContext());
    auth = gateway.auth();
    config = gateway.config();
    failures = new AuthFailures(config.authFailureLimit(), Ticker.systemTicker());
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String path = Paths.of(request);
    if (Paths.open(path) || Paths.preflight(request)) {
      chain.doFilter(request, response);
      return;
    }
    try {
      List<String> keys = PresentedKeys.of(request);
      if (Paths.admin(path)) {
        checkAdmin(request, keys);
      } else {
        admit(request, keys, Paths.messages(path));
      }
    } catch (GatewayException e) {
      ClientErrors.refuse(request, response, throttled(request, e));
      return;
    }
    chain.doFilter(request, response);
  }

  /**
   * A failed key check (a 401) counts against the client's address; past AUTH_FAILURE_LIMIT it is answered with a
   * 429 instead. Only here, after the key was found wanting: a valid key never reaches this.
   */
  private GatewayException throttled(HttpServletRequest request, GatewayException e) {
    if (e.status() != 401) {
      return e;
    }
    long wait = failures.failed(request.getRemoteAddr());
    return wait == 0 ? e : GatewayException.of(ErrorType.AUTH_FAILURES, "Too many failed API key attempts from "
        + "this address; try again in " + wait + " seconds.", Map.of("Retry-After", Long.toString(wait)));
  }

  private void admit(HttpServletRequest request, List<String> keys, boolean anthropicClient) {
    Caller caller = null;
    String usedKey = null;
    for (String key : keys) {
      Optional<Caller> found = auth.authenticate(key);
      if (found.isPresent()) {
        caller = found.get();
        usedKey = key;
        break;
      }
    }
    if (caller == null && config.requireApiKey()) {
      throw keys.isEmpty()
          ? GatewayException.of(ErrorType.MISSING_API_KEY, anthropicClient
              ? "You didn't provide an API key. Send it in the 'x-api-key' header (or as 'Authorization: Bearer <key>')."
              : "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.")
          : GatewayException.of(ErrorType.INVALID_API_KEY, "Incorrect API key provided.");
    }
    Caller who = caller == null ? Caller.ANONYMOUS : caller;
    request.setAttribute(Caller.ATTRIBUTE, who);
    RequestLog log = (RequestLog) request.getAttribute(RequestLog.ATTRIBUTE);
    if (log != null) {
      log.caller(who);
    }
    if (!KeyRules.of(who).allowsAddress(request::getRemoteAddr)) {
      // The container's view of the client: behind a proxy, its RemoteIpValve (or the like) decides what this is.
      throw GatewayException.of(ErrorType.ADDRESS_NOT_ALLOWED, "This API key may not be used from "
          + request.getRemoteAddr() + ".");
    }
    String bearer = PresentedKeys.bearer(request);
    if (bearer != null && !bearer.equals(usedKey) && !isAdminKey(bearer)) {
      request.setAttribute(UPSTREAM_TOKEN, bearer);
    }
  }

  private void checkAdmin(HttpServletRequest request, List<String> keys) {
    Secret admin = config.adminKey();
    if (admin == null) {
      throw GatewayException.of(ErrorType.PERMISSION_DENIED,
          "The admin API is disabled: set TOLLGATE_ADMIN_KEY to enable it.");
    }
    if (keys.stream().anyMatch(admin::matches)) {
      request.setAttribute(AdminActor.ATTRIBUTE, AdminActor.of(admin.reveal()));
      return;
    }
    if (keys.stream().anyMatch(k -> auth.authenticate(k).isPresent())) {
      throw GatewayException.of(ErrorType.PERMISSION_DENIED, "Client keys cannot use the admin API.");
    }
    throw keys.isEmpty()
        ? GatewayException.of(ErrorType.MISSING_API_KEY, "The admin API needs the admin key.")
        : GatewayException.of(ErrorType.INVALID_API_KEY, "Incorrect admin key provided.");
  }

  private boolean isAdminKey(String token) {
    return config.adminKey() != null && config.adminKey().matches(token);
  }
}
