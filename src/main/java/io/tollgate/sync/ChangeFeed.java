package io.tollgate.sync;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an admin change must reach: each kind of stored thing has the reloads that make this instance see it. The
 * admin API calls {@link #changed} after a change has committed.
 */
public class ChangeFeed {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

  /** The kinds of stored things whose changes other parts of the gateway hold in memory. */
  public enum Kind { KEYS, USERS, PROVIDERS, MODELS, PRICES }

  private final Map<Kind, List<Runnable>> reloads = new ConcurrentHashMap<>();

  /** Runs {@code reload} whenever something of this kind changed, here or on another instance. */
  public void onChange(Kind kind, Runnable reload) {
    reloads.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>()).add(reload);
  }

  /** Something of this kind changed and committed: reload it here. */
  public void changed(Kind kind) {
    reloadLocally(kind);
  }

  protected void reloadLocally(Kind kind) {
    reloads.getOrDefault(kind, List.of()).forEach(ChangeFeed::run);
  }

  /** Every reload once, even one registered for several kinds: for a change whose kind is not known. */
  protected void reloadEverything() {
    Set<Runnable> all = new LinkedHashSet<>();
    for (Kind kind : Kind.values()) {
      all.addAll(reloads.getOrDefault(kind, List.of()));
    }
    all.forEach(ChangeFeed::run);
  }

  private static void run(Runnable reload) {
    try {
      reload.run();
    } catch (RuntimeException e) {
      LOG.error("reloading after a change failed", e);
    }
  }
}
