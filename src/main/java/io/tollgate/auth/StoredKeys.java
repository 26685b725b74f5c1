package io.tollgate.auth;

import io.tollgate.config.KeyFields;
import io.tollgate.persistence.ClientKeyMatch;
import io.tollgate.persistence.ClientKeyRecord;
import io.tollgate.persistence.ClientKeyRepository;
import io.tollgate.persistence.KeyLimits;
import io.tollgate.persistence.KeySettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The database lookup behind the authenticator's cache: a hash to the key it opens, with the key's full policy. */
public final class StoredKeys implements Function<String, Optional<KeyEntry>> {
  private final ClientKeyRepository keys;

  public StoredKeys(ClientKeyRepository keys) {
    this.keys = keys;
  }

  @Override
  public Optional<KeyEntry> apply(String sha256Hex) {
    return keys.findActive(sha256Hex).map(StoredKeys::entry);
  }

  static KeyEntry entry(ClientKeyMatch m) {
    ClientKeyRecord k = m.key();
    return new KeyEntry(new Caller(k.id(), k.name(), k.prefix(), policy(k.settings())), m.secretUntil(),
        m.userDisabled());
  }

  public static KeyPolicy policy(KeySettings s) {
    Map<String, KeyPolicy.RateLimits> perModel = new LinkedHashMap<>();
    s.limits().models().forEach((model, l) -> perModel.put(model, rates(l)));
    return new KeyPolicy(s.userId(), s.models(), s.ipAllow(), s.expiresAt(), rates(s.limits()), Map.copyOf(perModel),
        new KeyPolicy.Quota(s.tokenQuota(), s.budgetUsd(), s.quotaPeriod()), s.cacheMode());
  }

  /** The stored form of the policy fields an admin body or the bootstrap file gave. */
  public static KeySettings settings(KeyFields.Values v, Long userId) {
    Map<String, KeyLimits> perModel = new LinkedHashMap<>();
    v.modelLimits().forEach((model, r) -> perModel.put(model, new KeyLimits(r.rpm(), r.rph(), r.tpm())));
    return new KeySettings(userId, v.models(), v.ipAllow(), new KeyLimits(v.rates().rpm(), v.rates().rph(),
        v.rates().tpm(), perModel), v.expiresAt(), v.tokenQuota(), v.budgetUsd(), v.quotaPeriod(),
        v.cacheMode());
  }

  private static KeyPolicy.RateLimits rates(KeyLimits l) {
    return l.rpm() == null && l.rph() == null && l.tpm() == null ? KeyPolicy.RateLimits.NONE
        : new KeyPolicy.RateLimits(l.rpm(), l.rph(), l.tpm());
  }
}
