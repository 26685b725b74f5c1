package io.tollgate.error;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A bug or an unexpected failure: the stack trace goes to the log under an id; the client gets only the id. */
public final class InternalErrors {
  private static final Logger LOG = LoggerFactory.getLogger(InternalErrors.class);

  private InternalErrors() {
  }

  public static GatewayException logged(Throwable t, String requestId) {
    LOG.error("internal error in request {}", requestId, t);
    return GatewayException.of(ErrorType.INTERNAL,
        "The gateway failed to handle this request (request id " + requestId + "); the error was logged.");
  }
}
