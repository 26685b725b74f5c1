package io.tollgate.admin.stats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What a stats breakdown groups by: the usage_log columns and the fields each group shows them as. */
enum Dimension {
  MODEL("model"),
  KEY("key_id", "key_name"),
  USER("user_id"),
  PROVIDER("provider"),
  STATUS("status");

  /** Without group_by: every breakdown but status, which the success and failure counts already sum up. */
  static final List<Dimension> DEFAULT = List.of(MODEL, KEY, USER, PROVIDER);

  private final List<String> columns;

  Dimension(String... columns) {
    this.columns = List.of(columns);
  }

  String param() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** "by_model", ...: where the breakdown goes in the answer. */
  String field() {
    return "by_" + param();
  }

  List<String> columns() {
    return columns;
  }

  String columnList() {
    return String.join(", ", columns);
  }

  /** Ties in request count come out in one fixed order, groups without a value last. */
  String tieOrder() {
    return String.join(", ", columns.stream().map(c -> c + " NULLS LAST").toList());
  }

  void write(ResultSet rs, ObjectNode group) throws SQLException {
    for (String column : columns) {
      switch (column) {
        case "key_id", "user_id" -> group.put(column, SqlQuery.longOrNull(rs, column));
        case "status" -> group.put(column, SqlQuery.intOrNull(rs, column));
        default -> group.put(column, rs.getString(column));
      }
    }
  }

  /** group_by: one dimension, a comma list of them, or "none" for the totals alone; absent means the default. */
  static List<Dimension> parse(String groupBy) {
    if (QueryParams.absent(groupBy)) {
      return DEFAULT;
    }
    if (groupBy.strip().equalsIgnoreCase("none")) {
      return List.of();
    }
    Set<Dimension> out = new LinkedHashSet<>();
    for (String part : groupBy.split(",", -1)) {
      out.add(one(part.strip()));
    }
    return new ArrayList<>(out);
  }

  private static Dimension one(String name) {
    for (Dimension d : values()) {
      if (d.param().equalsIgnoreCase(name)) {
        return d;
      }
    }
    throw QueryParams.bad("group_by", "group_by must be model, key, user, provider or status (or a comma list of"
        + " them, or none), not '" + QueryParams.shorten(name) + "'");
  }
}
