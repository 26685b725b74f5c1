package io.tollgate.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import java.util.UUID;

/** Everything else Jersey can throw: its own HTTP errors keep their status; the rest is a logged 500. */
public final class ThrowableMapper implements ExceptionMapper<Throwable> {
  @Override
  public Response toResponse(Throwable t) {
    return GatewayExceptionMapper.render(toGateway(t));
  }

  static GatewayException toGateway(Throwable t) {
    if (t instanceof GatewayException g) {
      return g;
    }
    if (t instanceof NotFoundException) {
      return GatewayException.of(ErrorType.NOT_FOUND, "Unknown path; GET / lists the endpoints.");
    }
    if (t instanceof NotAllowedException) {
      return GatewayException.of(ErrorType.METHOD_NOT_ALLOWED, "Method not allowed here.");
    }
    if (t instanceof NotSupportedException) {
      return GatewayException.of(ErrorType.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
    }
    if (t instanceof JsonProcessingException jp) {
      return GatewayException.of(ErrorType.INVALID_JSON, "The request body is not valid JSON: " + jp.getOriginalMessage());
    }
    if (t instanceof WebApplicationException wae && wae.getResponse().getStatus() < 500) {
      return GatewayException.upstream(ErrorType.INVALID_REQUEST, wae.getResponse().getStatus(), wae.getMessage(),
          null, null, Map.of());
    }
    return InternalErrors.logged(t, UUID.randomUUID().toString());
  }
}
