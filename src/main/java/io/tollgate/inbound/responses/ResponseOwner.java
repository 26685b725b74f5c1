package io.tollgate.inbound.responses;

import io.tollgate.auth.ApiKeyAuthenticator;
import io.tollgate.auth.Caller;
import io.tollgate.auth.KeyHashing;
import io.tollgate.auth.PresentedKeys;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Whose a stored response is: a client key's id; for a key from API_KEYS, which has none, the SHA-256 the gateway
 * keeps of it; neither for a request without a key (a gateway that requires none), whose responses all share one
 * owner.
 */
record ResponseOwner(Long keyId, String keyHash) {
  private static final ResponseOwner NO_KEY = new ResponseOwner(null, null);

  static ResponseOwner of(HttpServletRequest request, ApiKeyAuthenticator auth) {
    Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
    if (caller != null && caller.keyId() != null) {
      return new ResponseOwner(caller.keyId(), null);
    }
    if (caller == null || caller == Caller.ANONYMOUS) {
      return NO_KEY;
    }
    // The key the auth filter let in: the first presented one that opens a key from API_KEYS (a map lookup).
    for (String key : PresentedKeys.of(request)) {
      Optional<Caller> opened = auth.authenticate(key);
      if (opened.isPresent() && opened.get().keyId() == null) {
        return new ResponseOwner(null, KeyHashing.sha256Hex(key));
      }
    }
    return NO_KEY;
  }
}
