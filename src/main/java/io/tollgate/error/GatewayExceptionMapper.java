package io.tollgate.error;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** JAX-RS resources' failures, in OpenAI's envelope. */
public final class GatewayExceptionMapper implements ExceptionMapper<GatewayException> {
  @Override
  public Response toResponse(GatewayException e) {
    return render(e);
  }

  static Response render(GatewayException e) {
    Response.ResponseBuilder b = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(OpenAiErrors.body(e));
    e.headers().forEach(b::header);
    return b.build();
  }
}
