package io.tollgate.admin;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream keys as the admin API shows them, never whole: "sk-…wxyz" (first 3 and last 4 of a long key), "…wxyz"
 * for a shorter one, "…" below 12 characters. A masked key sent back in an update stands for the stored key it
 * masks, so a listing can be edited and sent back as it is.
 */
final class MaskedKeys {
  private static final String ELLIPSIS = "…";

  private MaskedKeys() {
  }

  static String mask(String key) {
    if (key.length() >= 20) {
      return key.substring(0, 3) + ELLIPSIS + key.substring(key.length() - 4);
    }
    return key.length() >= 12 ? ELLIPSIS + key.substring(key.length() - 4) : ELLIPSIS;
  }

  static List<String> mask(List<String> keys) {
    return keys.stream().map(MaskedKeys::mask).toList();
  }

  /** The keys given, each masked one replaced by the one stored key it masks; an error names any other. */
  static List<String> resolve(List<String> given, List<String> stored) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      String key = given.get(i);
      if (!key.contains(ELLIPSIS)) {
        out.add(key);
        continue;
      }
      List<String> matches = stored.stream().filter(s -> mask(s).equals(key)).distinct().toList();
      if (matches.size() != 1) {
        throw GatewayException.param(ErrorType.INVALID_REQUEST, "api_keys[" + i + "] is a masked key that stands"
            + " for " + (matches.isEmpty() ? "no" : "more than one") + " stored key of this provider; send the"
            + " full key.", "api_keys[" + i + "]");
      }
      out.add(matches.get(0));
    }
    return out;
  }
}
