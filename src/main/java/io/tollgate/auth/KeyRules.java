package io.tollgate.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.config.AddressRange;
import io.tollgate.routing.Glob;
import java.util.List;
import java.util.Set;

/**
 * A key policy's model and address rules, compiled once per policy (cached callers keep theirs, so the request path
 * compiles nothing) and checked by every entry point. Models are matched by the name the client asked for.
 */
public final class KeyRules {
  private static final Cache<KeyPolicy, KeyRules> COMPILED = Caffeine.newBuilder().weakKeys().build();

  private final Set<String> names;
  private final List<Glob> patterns;
  private final List<AddressRange> addresses;

  private KeyRules(KeyPolicy policy) {
    names = Set.copyOf(policy.models().stream().filter(m -> !Glob.isPattern(m)).toList());
    patterns = policy.models().stream().filter(Glob::isPattern).map(Glob::of).toList();
    addresses = policy.ipAllow().stream().map(AddressRange::parse).toList();
  }

  private static final KeyRules NONE = new KeyRules(KeyPolicy.OPEN);

  public static KeyRules of(Caller caller) {
    KeyPolicy policy = caller == null || caller.policy() == null ? KeyPolicy.OPEN : caller.policy();
    if (policy.models().isEmpty() && policy.ipAllow().isEmpty()) {
      return NONE; // most keys: nothing to compile or look up
    }
    return COMPILED.get(policy, KeyRules::new);
  }

  public boolean allowsModel(String model) {
    if (names.isEmpty() && patterns.isEmpty()) {
      return true;
    }
    return model != null && (names.contains(model) || patterns.stream().anyMatch(g -> g.matches(model)));
  }

  /** Takes a supplier, so that a key without an allow-list never asks the container for the address. */
  public boolean allowsAddress(java.util.function.Supplier<String> address) {
    if (addresses.isEmpty()) {
      return true;
    }
    byte[] literal = AddressRange.literal(address.get()); // read once, whatever the number of ranges
    for (AddressRange range : addresses) {
      if (range.contains(literal)) {
        return true;
      }
    }
    return false;
  }

  /** Refuses, before anything is sent upstream, a model this caller's key may not use. */
  public static void checkModel(Caller caller, String model) {
    if (!of(caller).allowsModel(model)) {
      throw GatewayException.param(ErrorType.MODEL_NOT_ALLOWED, "This API key is not allowed to use the model '"
          + model + "'.", "model");
    }
  }
}
