package io.tollgate.provider;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Provider type name to its adapter. */
public final class AdapterRegistry {
  private final Map<String, ProviderAdapter> byType;

  public AdapterRegistry(List<ProviderAdapter> adapters) {
    this.byType = adapters.stream().collect(Collectors.toUnmodifiableMap(ProviderAdapter::type, Function.identity()));
  }

  public ProviderAdapter forType(String type) {
    ProviderAdapter adapter = byType.get(type);
    if (adapter == null) {
      throw GatewayException.of(ErrorType.SERVICE_UNAVAILABLE, "provider type " + type + " is not available yet");
    }
    return adapter;
  }

  public boolean supports(String type) {
    return byType.containsKey(type);
  }
}
