package io.tollgate.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.sync.ChangeFeed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The one shape every admin collection has: a paged list, get (404), create (201), update, delete and actions,
 * each change made one at a time (so a check still holds when the write lands), audited with its before and after
 * views, and announced on the change feed so this instance (and the others) reload what they hold.
 *
 * @param <R> the stored record
 */
final class Crud<R> {
  /** All admin writes, of every collection, one at a time: checks across tables ("no model uses it") hold. */
  private static final Object WRITES = new Object();

  /** What a collection is: names, how to read it and how to show one. */
  record Table<R>(String entity, String idField, Comparator<String> order, Supplier<List<R>> all,
      Function<String, Optional<R>> find, Function<R, String> id, Function<R, ObjectNode> view) {
  }

  private final Table<R> table;
  private final ChangeFeed.Kind kind;
  private final ChangeFeed changes;
  private final Audit audit;

  Crud(Table<R> table, ChangeFeed.Kind kind, ChangeFeed changes, Audit audit) {
    this.table = table;
    this.kind = kind;
    this.changes = changes;
    this.audit = audit;
  }

  ObjectNode list(UriInfo uri) {
    Page page = Page.of(uri);
    return page.of(table.all().get(), table.id(), table.order(), table.view());
  }

  R find(String id) {
    return table.find().apply(id).orElseThrow(() -> notFound(id));
  }

  ObjectNode get(String id) {
    return table.view().apply(find(id));
  }

  GatewayException notFound(String id) {
    String which = table.idField().equals("name") ? "named '" + id + "'" : "with id " + id;
    return GatewayException.param(ErrorType.NOT_FOUND, "No " + table.entity() + " " + which + ".", table.idField());
  }

  /** Like {@link #create}, first refusing with a 409 an id that is taken. */
  Response createNew(HttpServletRequest request, String id, Supplier<R> checkAndWrite) {
    return create(request, () -> {
      if (table.find().apply(id).isPresent()) {
        throw GatewayException.param(ErrorType.CONFLICT, "A " + table.entity() + " named '" + id + "' already"
            + " exists; change it with PUT /admin/" + table.entity() + "s/" + id + ".", table.idField());
      }
      return checkAndWrite.get();
    });
  }

  /** Checks and writes under the lock; answers 201 with the new view. */
  Response create(HttpServletRequest request, Supplier<R> checkAndWrite) {
    R created = locked(checkAndWrite);
    ObjectNode view = table.view().apply(created);
    audit.record(request, "create", table.entity(), table.id().apply(created), null, view);
    return Response.status(201).entity(view).build();
  }

  /** An update or action on a stored entity (404 if there is none); answers its new view. */
  ObjectNode change(HttpServletRequest request, String action, String id, UnaryOperator<R> checkAndWrite) {
    AtomicReference<R> before = new AtomicReference<>();
    R after = locked(() -> {
      before.set(find(id));
      return checkAndWrite.apply(before.get());
    });
    ObjectNode view = table.view().apply(after);
    audit.record(request, action, table.entity(), id, table.view().apply(before.get()), view);
    return view;
  }

  /** Deletes a stored entity (404 if there is none); {@code remove} may refuse with a 409. */
  ObjectNode delete(HttpServletRequest request, String id, Consumer<R> remove) {
    R before = locked(() -> {
      R stored = find(id);
      remove.accept(stored);
      return stored;
    });
    audit.record(request, "delete", table.entity(), id, table.view().apply(before), null);
    ObjectNode out = Json.MAPPER.createObjectNode();
    if (table.idField().equals("id")) {
      out.put("id", Page.number(id));
    } else {
      out.put(table.idField(), id);
    }
    out.put("object", table.entity());
    out.put("deleted", true);
    return out;
  }

  /** Tells the change feed that something else changed along with this collection. */
  void announce(ChangeFeed.Kind other) {
    changes.changed(other);
  }

  private <T> T locked(Supplier<T> checkAndWrite) {
    T result;
    synchronized (WRITES) {
      result = checkAndWrite.get();
    }
    changes.changed(kind);
    return result;
  }
}
