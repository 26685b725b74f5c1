package io.tollgate.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.provider.ModelCapabilities;
import java.util.List;

/**
 * A model entry's limits, applied to the request before anything goes upstream: tools refused for a model that
 * takes none, token counts above the model's cap lowered to it (a request that names none gets none).
 */
public final class ModelLimits {
  private static final List<String> TOOL_FIELDS = List.of("tools", "functions");
  private static final List<String> TOKEN_FIELDS = List.of("max_tokens", "max_completion_tokens");

  private ModelLimits() {
  }

  public static void apply(Plan plan, OpenAiRequest call) {
    ModelCapabilities capabilities = plan.capabilities();
    if (!capabilities.tools()) {
      for (String field : TOOL_FIELDS) {
        JsonNode tools = call.body().get(field);
        if (tools != null && !tools.isNull() && !(tools.isArray() && tools.isEmpty())) {
          throw GatewayException.param(ErrorType.INVALID_REQUEST, "The model '" + plan.publicModel()
              + "' does not support tools; send the request without '" + field + "'.", field);
        }
      }
    }
    Integer cap = capabilities.maxTokens();
    if (cap != null) {
      for (String field : TOKEN_FIELDS) {
        JsonNode asked = call.body().get(field);
        if (asked != null && asked.isNumber() && asked.asLong() > cap) {
          call.body().put(field, cap);
        }
      }
    }
  }
}
