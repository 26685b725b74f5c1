package io.tollgate.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model table's names made ready for lookups: exact names and aliases in one hash map, patterns compiled and
 * sorted most specific first. Built once per table, so a lookup is a map probe and, failing that, a scan of the
 * patterns.
 */
final class ModelIndex {
  private final Map<String, ModelDefinition> exact = new HashMap<>();
  private final List<Wildcard> wildcards = new ArrayList<>();

  private record Wildcard(Glob glob, ModelDefinition definition) {
  }

  ModelIndex(Collection<ModelDefinition> models) {
    for (ModelDefinition m : models) {
      if (m.wildcard()) {
        wildcards.add(new Wildcard(Glob.of(m.name()), m));
      } else {
        exact.put(m.name(), m);
      }
    }
    // Names win over aliases should the two ever clash (entries are checked so that they do not).
    models.forEach(m -> m.aliases().forEach(a -> exact.putIfAbsent(a, m)));
    wildcards.sort((a, b) -> Glob.MOST_SPECIFIC_FIRST.compare(a.glob(), b.glob()));
  }

  /** The entry serving this name: its own or an alias, else the most specific matching pattern; null if none. */
  ModelDefinition find(String name) {
    ModelDefinition m = exact.get(name);
    if (m != null) {
      return m;
    }
    for (Wildcard w : wildcards) {
      if (w.glob().matches(name)) {
        return w.definition();
      }
    }
    return null;
  }
}
