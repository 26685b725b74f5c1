package io.tollgate.auth;

/**
 * Who is calling: a client key's id and name (never the key itself) and what the key may do. The id is null for
 * keys from API_KEYS, which have no policy.
 */
public record Caller(Long keyId, String name, String keyPrefix, KeyPolicy policy) {
  public static final String ATTRIBUTE = "io.tollgate.caller";
  public static final Caller ANONYMOUS = new Caller(null, "anonymous", null);

  public Caller(Long keyId, String name, String keyPrefix) {
    this(keyId, name, keyPrefix, KeyPolicy.OPEN);
  }
}
