package io.tollgate.admin.stats;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rows /admin/logs is asked for: a time window, and optionally one key, user, model, provider or status. */
record LogFilter(TimeWindow window, Long keyId, Long userId, String model, String provider, Integer statusFrom,
    Integer statusTo) {
  private static final Pattern STATUS = Pattern.compile("([1-5])xx|([1-5]\\d\\d)");

  static LogFilter parse(String from, String to, String keyId, String userId, String model, String provider,
      String status) {
    Integer statusFrom = null;
    Integer statusTo = null;
    if (!QueryParams.absent(status)) {
      Matcher m = STATUS.matcher(status.strip().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw QueryParams.bad("status", "status must be an HTTP status (429) or a class (2xx, 4xx, 5xx), not '"
            + QueryParams.shorten(status) + "'");
      }
      statusFrom = m.group(1) != null ? Integer.parseInt(m.group(1)) * 100 : Integer.parseInt(m.group(2));
      statusTo = m.group(1) != null ? statusFrom + 100 : statusFrom + 1;
    }
    return new LogFilter(TimeWindow.forLogs(from, to),
        QueryParams.absent(keyId) ? null : QueryParams.id(keyId, "key_id"),
        QueryParams.absent(userId) ? null : QueryParams.id(userId, "user_id"),
        QueryParams.absent(model) ? null : model.strip(), QueryParams.absent(provider) ? null : provider.strip(),
        statusFrom, statusTo);
  }

  SqlQuery applyTo(SqlQuery query) {
    query.window(window);
    if (keyId != null) {
      query.and("key_id = ?", keyId);
    }
    if (userId != null) {
      query.and("user_id = ?", userId);
    }
    if (model != null) {
      query.and("model = ?", model);
    }
    if (provider != null) {
      query.and("provider = ?", provider);
    }
    if (statusFrom != null) {
      query.and("status >= ? AND status < ?", statusFrom, statusTo);
    }
    return query;
  }
}
