package io.tollgate.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.Secret;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.provider.Route;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AnthropicWireTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({"https://api.anthropic.com", "https://api.anthropic.com/", "https://api.anthropic.com/v1",
      "https://api.anthropic.com/v1/"})
  void baseUrlWithOrWithoutV1GivesOneV1(String base) {
    Route route = new Route("m", "p", "anthropic", base, "m", null, false);
    assertThat(AnthropicWire.uri(route, "/messages").toString()).isEqualTo("https://api.anthropic.com/v1/messages");
  }

  @Test
  void headersCarryKeyVersionAndBeta() {
    assertThat(AnthropicWire.headers(Fixtures.ROUTE)).containsExactly(
        Map.entry("x-api-key", "sk-ant-test"), Map.entry("anthropic-version", "2023-06-01"));
    Route custom = new Route("m", "p", "anthropic", "https://x", "m", Secret.of("k"), false,
        Map.of("anthropic_version", "2024-01-01", "anthropic_beta", "prompt-caching-2024-07-31"));
    assertThat(AnthropicWire.headers(custom)).containsEntry("anthropic-version", "2024-01-01")
        .containsEntry("anthropic-beta", "prompt-caching-2024-07-31");
  }

  @Test
  void streamErrorsMapLikeTheSameHttpStatus() throws Exception {
    GatewayException overloaded = AnthropicWire.streamError(Json.tree(
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}".getBytes()),
        Fixtures.ROUTE);
    assertThat(overloaded.status()).isEqualTo(502);
    assertThat(overloaded.type()).isEqualTo(ErrorType.UPSTREAM_ERROR);
    assertThat(overloaded.getMessage()).contains("Overloaded");
    GatewayException limited = AnthropicWire.streamError(Json.tree(
        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}".getBytes()),
        Fixtures.ROUTE);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.getMessage()).isEqualTo("slow down");
  }
}
