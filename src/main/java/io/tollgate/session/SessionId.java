package io.tollgate.session;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.util.regex.Pattern;

/** A client's session id: 1 to 128 characters of letters, digits and {@code . _ : -}. */
final class SessionId {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private SessionId() {
  }

  static String checked(String id) {
    if (!VALID.matcher(id).matches()) {
      throw GatewayException.of(ErrorType.INVALID_REQUEST, "The session id (" + Sessions.HEADER + ") must be 1 to"
          + " 128 characters of letters, digits, '.', '_', ':' and '-'.");
    }
    return id;
  }
}
