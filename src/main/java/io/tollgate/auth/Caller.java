package io.tollgate.auth;

/** Who is calling: a client key's id and name (never the key itself). The id is null for keys from API_KEYS. */
public record Caller(Long keyId, String name, String keyPrefix) {
  public static final String ATTRIBUTE = "io.tollgate.caller";
  public static final Caller ANONYMOUS = new Caller(null, "anonymous", null);
}
