package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** When the standard OTEL_* variables configure a trace exporter, and what reaches the SDK. */
class OtelConfigTest {
  private static final String ENDPOINT = "http://collector:4318";

  @Test
  void nothingConfiguredMeansNoExport() {
    assertThat(GatewayConfig.from(Map.of()).otel().enabled()).isFalse();
    assertThat(otel(Map.of("OTEL_SERVICE_NAME", "gw", "OTEL_BSP_SCHEDULE_DELAY", "100")).enabled()).isFalse();
  }

  @Test
  void anEndpointOrTheOtlpExporterTurnsItOn() {
    assertThat(otel(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT)).enabled()).isTrue();
    assertThat(otel(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", ENDPOINT + "/v1/traces")).enabled()).isTrue();
    assertThat(otel(Map.of("OTEL_TRACES_EXPORTER", "otlp")).enabled()).isTrue(); // the SDK's default endpoint
  }

  @Test
  void theSdkSwitchAndTheNoneExporterTurnItOff() {
    assertThat(otel(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT, "OTEL_SDK_DISABLED", "true")).enabled())
        .isFalse();
    assertThat(otel(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT, "OTEL_TRACES_EXPORTER", "none")).enabled())
        .isFalse();
    assertThat(otel(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT, "OTEL_SDK_DISABLED", "false")).enabled())
        .isTrue();
  }

  @Test
  void theSdkGetsEveryOtelNameAndHttpProtobufByDefault() {
    OtelConfig c = otel(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT, "OTEL_EXPORTER_OTLP_HEADERS", "a=b",
        "OTEL_SOMETHING_NEWER", "x", "TOLLGATE_HOME", "/tmp"));
    assertThat(c.settings()).containsEntry("OTEL_EXPORTER_OTLP_HEADERS", "a=b")
        .containsEntry("OTEL_SOMETHING_NEWER", "x")
        .containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
        .doesNotContainKey("TOLLGATE_HOME");
  }

  @ParameterizedTest
  @ValueSource(strings = {"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"})
  void grpcIsRefusedAtStartUp(String name) {
    assertThatThrownBy(() -> otel(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT, name, "grpc")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http/protobuf").hasMessageContaining("gRPC");
  }

  @Test
  void anExporterTheGatewayLacksIsRefused() {
    assertThatThrownBy(() -> otel(Map.of("OTEL_TRACES_EXPORTER", "zipkin")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("OTEL_TRACES_EXPORTER must be otlp or none");
    assertThatThrownBy(() -> otel(Map.of("OTEL_SDK_DISABLED", "maybe")))
        .isInstanceOf(ConfigException.class).hasMessage("OTEL_SDK_DISABLED must be true or false");
  }

  @Test
  void otelNamesComeFromEverySourceButNeverWithATollgatePrefix() {
    Map<String, String> merged = ConfigSources.merge(Map.of("OTEL_SERVICE_NAME", "from-context"),
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT, "TOLLGATE_OTEL_SERVICE_NAME", "prefixed"),
        Map.of("otel.bsp.schedule.delay", "250", "unrelated.property", "1"));
    OtelConfig c = GatewayConfig.from(merged).otel();
    assertThat(c.enabled()).isTrue();
    assertThat(c.settings()).containsEntry("OTEL_SERVICE_NAME", "from-context")
        .containsEntry("OTEL_BSP_SCHEDULE_DELAY", "250").containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT)
        .doesNotContainKey("UNRELATED_PROPERTY");
  }

  private static OtelConfig otel(Map<String, String> values) {
    return GatewayConfig.from(values).otel();
  }
}
