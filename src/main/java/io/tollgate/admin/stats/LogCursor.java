package io.tollgate.admin.stats;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Where a page of /admin/logs ended: the (ts, id) of its last row, opaque to clients. The next page holds rows
 * strictly before it in (ts desc, id desc) order, so rows written meanwhile neither repeat nor push others out.
 */
record LogCursor(Instant ts, long id) {
  private static final String VERSION = "1";

  String encode() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, ts);
    String plain = VERSION + ":" + micros + ":" + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  static LogCursor decode(String cursor) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8)
          .split(":", -1);
      if (parts.length == 3 && parts[0].equals(VERSION)) {
        return new LogCursor(Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS),
            Long.parseLong(parts[2]));
      }
    } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
      // answered below
    }
    throw QueryParams.bad("after", "after must be the 'next' value of an earlier page of /admin/logs");
  }
}
