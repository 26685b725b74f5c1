package io.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * One page of an admin listing: {@code limit} (default 50, at most 500) items after the {@code after} cursor (the
 * {@code next} of the page before). Answered as {"object":"list","data":[...],"has_more":...,"next":...}.
 */
record Page(int limit, String after) {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  /** Cursors that are names, in the order the tables list them. */
  static final Comparator<String> BY_NAME = Comparator.naturalOrder();
  /** Cursors that are numeric ids, ascending. */
  static final Comparator<String> BY_ID = Comparator.comparingLong(Page::number);

  static Page of(UriInfo uri) {
    MultivaluedMap<String, String> query = uri.getQueryParameters();
    String limit = query.getFirst("limit");
    String after = query.getFirst("after");
    int n = DEFAULT_LIMIT;
    if (limit != null) {
      if (!limit.matches("[0-9]{1,4}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > MAX_LIMIT) {
        throw GatewayException.param(ErrorType.INVALID_REQUEST, "limit must be a whole number from 1 to " + MAX_LIMIT
            + ".", "limit");
      }
      n = Integer.parseInt(limit);
    }
    return new Page(n, after == null || after.isEmpty() ? null : after);
  }

  /** The page of {@code items} (sorted by {@code order} of their cursors) that follows the cursor. */
  <T> ObjectNode of(List<T> items, Function<T, String> cursor, Comparator<String> order,
      Function<T, ObjectNode> view) {
    if (after != null && order == BY_ID) {
      number(after);
    }
    List<T> rest = after == null ? items
        : items.stream().filter(item -> order.compare(cursor.apply(item), after) > 0).toList();
    boolean more = rest.size() > limit;
    List<T> shown = more ? rest.subList(0, limit) : rest;
    return render(shown.stream().map(view).toList(), more && !shown.isEmpty()
        ? cursor.apply(shown.get(shown.size() - 1)) : null);
  }

  static ObjectNode render(List<ObjectNode> items, String next) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    items.forEach(data::add);
    root.put("has_more", next != null);
    root.put("next", next);
    return root;
  }

  static long number(String cursor) {
    try {
      return Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "after must be the 'next' of an earlier page (a"
          + " number here).", "after");
    }
  }
}
