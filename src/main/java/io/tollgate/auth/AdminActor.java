package io.tollgate.auth;

/**
 * Who made an admin change, as the audit log names them: which admin credential, never the credential itself
 * ("admin-key:" and the first 8 hex digits of its SHA-256). Set as a request attribute once the admin key matched.
 */
public final class AdminActor {
  public static final String ATTRIBUTE = "io.tollgate.adminActor";

  private AdminActor() {
  }

  public static String of(String adminKey) {
    return "admin-key:" + KeyHashing.sha256Hex(adminKey).substring(0, 8);
  }
}
