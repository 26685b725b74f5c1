package io.tollgate.otel;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.config.ConfigException;
import io.tollgate.config.GatewayConfig;
import io.tollgate.config.OtelConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A setting the SDK refuses stops the start, named but never quoted (a header may hold a tracing service's key). */
class OtelTracingTest {
  private static final String ENDPOINT = "http://127.0.0.1:9";

  @Test
  void aBadNumberNamesTheSettingWithoutItsValue() {
    assertThatThrownBy(() -> OtelTracing.start(otel(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT,
        "OTEL_BSP_MAX_QUEUE_SIZE", "plenty-SECRET")), "test"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("otel.bsp.max.queue.size")
        .hasMessageNotContaining("SECRET");
  }

  @Test
  void aBadHeaderNamesTheHeaderWithoutItsValue() {
    assertThatThrownBy(() -> OtelTracing.start(otel(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT,
        "OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=%zzSECRET")), "test"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("x-api-key")
        .hasMessageNotContaining("SECRET");
  }

  private static OtelConfig otel(Map<String, String> settings) {
    return GatewayConfig.from(settings).otel();
  }
}
