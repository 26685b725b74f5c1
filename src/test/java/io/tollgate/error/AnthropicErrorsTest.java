package io.tollgate.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.openai.Json;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicErrorsTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({"400, invalid_request_error", "401, authentication_error", "403, permission_error",
      "404, not_found_error", "413, request_too_large", "429, rate_limit_error", "500, api_error", "502, api_error",
      "504, timeout_error", "529, overloaded_error"})
  void eachStatusHasAnthropicsErrorType(int status, String type) {
    assertThat(AnthropicErrors.type(status)).isEqualTo(type);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"REQUEST_TOO_LARGE, request_too_large", "RATE_LIMITED, rate_limit_error",
      "UPSTREAM_TIMEOUT, timeout_error", "INVALID_JSON, invalid_request_error"})
  void theBodyIsAnthropicsEnvelope(ErrorType error, String type) throws Exception {
    byte[] body = AnthropicErrors.body(GatewayException.of(error, "it went wrong"));
    assertThat(Json.tree(body)).isEqualTo(Json.MAPPER.valueToTree(
        Map.of("type", "error", "error", Map.of("type", type, "message", "it went wrong"))));
  }
}
