package io.tollgate.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenTelemetry trace export, set with the standard {@code OTEL_*} variables that every OpenTelemetry SDK reads.
 * {@code enabled} when an exporter is configured: {@code OTEL_TRACES_EXPORTER=otlp}, or an OTLP endpoint, and the
 * SDK not disabled. {@code settings} holds every {@code OTEL_*} name from the merged sources, for the SDK's own
 * autoconfiguration to read.
 */
public record OtelConfig(boolean enabled, Map<String, String> settings) {
  private static final String PREFIX = "OTEL_";
  private static final String HTTP_PROTOBUF = "http/protobuf";

  public OtelConfig {
    settings = Map.copyOf(settings);
  }

  public static OtelConfig disabled() {
    return new OtelConfig(false, Map.of());
  }

  /** Whether a name is one of OpenTelemetry's standard variables, which keep their own names here. */
  public static boolean standard(String name) {
    return name.startsWith(PREFIX);
  }

  static OtelConfig read(Map<String, String> values) {
    Settings s = new Settings(values);
    Map<String, String> otel = new TreeMap<>();
    values.forEach((k, v) -> {
      if (standard(k)) {
        otel.put(k, v);
      }
    });
    boolean disabled = s.bool("OTEL_SDK_DISABLED", false);
    List<String> exporters = s.nonBlank("OTEL_TRACES_EXPORTER")
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(e -> !e.isEmpty())
            .map(e -> e.toLowerCase(Locale.ROOT)).toList())
        .orElse(List.of());
    for (String e : exporters) {
      if (!e.equals("otlp") && !e.equals("none")) {
        throw new ConfigException("OTEL_TRACES_EXPORTER must be otlp or none: the gateway has no other exporter");
      }
    }
    boolean endpoint = s.nonBlank("OTEL_EXPORTER_OTLP_ENDPOINT").isPresent()
        || s.nonBlank("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").isPresent();
    boolean enabled = !disabled && (exporters.isEmpty() ? endpoint : exporters.contains("otlp"));
    if (!enabled) {
      return new OtelConfig(false, otel);
    }
    String protocol = s.nonBlank("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
        .or(() -> s.nonBlank("OTEL_EXPORTER_OTLP_PROTOCOL")).orElse(HTTP_PROTOBUF);
    if (!protocol.equals(HTTP_PROTOBUF)) {
      throw new ConfigException("OTEL_EXPORTER_OTLP_PROTOCOL (and OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) must be "
          + HTTP_PROTOBUF + ": the gateway sends spans over OTLP/HTTP only (a collector's port 4318), not gRPC");
    }
    // The SDK's own default is grpc; the gateway's is the protocol it has.
    otel.putIfAbsent("OTEL_EXPORTER_OTLP_PROTOCOL", HTTP_PROTOBUF);
    return new OtelConfig(true, otel);
  }
}
