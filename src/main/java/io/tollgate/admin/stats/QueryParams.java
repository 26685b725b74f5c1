package io.tollgate.admin.stats;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Query parameters of the stats and logs endpoints, read by hand so a bad one is a 400 that names it. */
final class QueryParams {
  private QueryParams() {
  }

  static GatewayException bad(String param, String message) {
    return GatewayException.param(ErrorType.INVALID_REQUEST, message, param);
  }

  static boolean absent(String value) {
    return value == null || value.isBlank();
  }

  /**
   * An instant ("2026-12-04T10:00:00Z", "2026-12-04T12:00:00+02:00") or a UTC date ("2026-12-04"). A date starts
   * at its midnight, or ends at the next one when {@code endOfDay}, so {@code to=2026-12-04} takes in that day.
   */
  static Instant instant(String value, String param, boolean endOfDay) {
    // A '+' in a query string decodes to a space unless the client encoded it.
    String text = value.strip().replace(' ', '+');
    try {
      if (text.length() == 10) {
        LocalDate day = LocalDate.parse(text);
        return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw bad(param, param + " must be an ISO-8601 instant with its offset (2026-12-04T10:00:00Z) or a date"
          + " (2026-12-04), not '" + shorten(value) + "'");
    }
  }

  static long id(String value, String param) {
    try {
      long id = Long.parseLong(value.strip());
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw bad(param, param + " must be a positive whole number, not '" + shorten(value) + "'");
  }

  static int limit(String value, int fallback, int max) {
    if (absent(value)) {
      return fallback;
    }
    try {
      int limit = Integer.parseInt(value.strip());
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw bad("limit", "limit must be a whole number from 1 to " + max + ", not '" + shorten(value) + "'");
  }

  /** An echo of what the client sent, cut short: enough to spot the mistake, never a wall of text. */
  static String shorten(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }
}
