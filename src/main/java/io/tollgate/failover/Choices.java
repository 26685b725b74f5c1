package io.tollgate.failover;

import io.tollgate.config.Secret;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.routing.Plan;
import io.tollgate.routing.Plan.Candidate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the attempts of one request go: which target and which key of its provider, given what this request has
 * tried and which keys refused it. Used under the {@link Attempts} monitor only.
 */
final class Choices {
  /** A target, a key leased for it, the target's breaker (whose permission is taken), and whether the pair is new. */
  record Choice(Candidate candidate, KeyLease lease, Breakers.Breaker breaker, boolean fresh) {
  }

  private record Tried(Candidate candidate, Integer key) {
  }

  private final KeyPools pools;
  private final Breakers breakers;
  private final Plan plan;
  private final String callerToken;
  private final String session;
  private final List<Tried> tried = new ArrayList<>(2);
  /** Keys refused during this request: never asked again by it, even once their re-check time has come. */
  private final List<Tried> refused = new ArrayList<>(1);

  Choices(KeyPools pools, Breakers breakers, Plan plan, String callerToken, String session) {
    this.pools = pools;
    this.breakers = breakers;
    this.plan = plan;
    this.callerToken = callerToken;
    this.session = session;
  }

  void tried(Choice c) {
    tried.add(new Tried(c.candidate(), c.lease().index()));
  }

  void refused(Choice c) {
    refused.add(new Tried(c.candidate(), c.lease().index()));
  }

  /** How many attempts were made. */
  int made() {
    return tried.size();
  }

  /**
   * The next target and key. With {@code sameTarget}, a key of the last target not yet tried comes first; then
   * the best priority's targets not yet tried, by weight; then targets already tried. When every breaker refuses,
   * one target gets a probe anyway.
   */
  Choice next(Choice current, boolean sameTarget, GatewayException last) {
    if (sameTarget && current != null) {
      Choice c = onTarget(current.candidate());
      if (c != null) {
        return c;
      }
    }
    List<Candidate> openBreakers = new ArrayList<>(2);
    boolean keysGone = false;
    for (int pass = 0; pass < 2; pass++) {
      List<Candidate> all = plan.candidates();
      for (int from = 0; from < all.size(); ) {
        int to = from;
        while (to < all.size() && all.get(to).priority() == all.get(from).priority()) {
          to++;
        }
        List<Candidate> group = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          if (pass == 1 || !triedTarget(all.get(i))) {
            group.add(all.get(i));
          }
        }
        while (!group.isEmpty()) {
          Candidate c = pick(group);
          group.remove(c);
          Breakers.Breaker b = breakers.of(c.target());
          if (!b.tryAcquire()) {
            if (!openBreakers.contains(c)) {
              openBreakers.add(c);
            }
            continue;
          }
          KeyLease lease = lease(c, pass == 1);
          if (lease == null) {
            b.ignored();
            keysGone = true;
            continue;
          }
          return new Choice(c, lease, b, !tried.contains(new Tried(c, lease.index())));
        }
        from = to;
      }
    }
    for (Candidate c : openBreakers) {
      Breakers.Breaker b = breakers.of(c.target());
      if (b.open() && b.forceProbe()) {
        KeyLease lease = lease(c, true);
        if (lease != null) {
          return new Choice(c, lease, b, !tried.contains(new Tried(c, lease.index())));
        }
        b.ignored();
      }
    }
    if (last != null) {
      throw last;
    }
    if (keysGone && openBreakers.isEmpty()) {
      throw GatewayException.of(ErrorType.UPSTREAM_AUTH_ERROR, "No upstream key of the model '"
          + plan.publicModel() + "' can be used now: each was refused by its provider and is disabled, or is being"
          + " re-checked by another request. An admin can re-enable a key"
          + " (POST /admin/providers/{name}/keys/{n}/enable).");
    }
    throw GatewayException.of(ErrorType.SERVICE_UNAVAILABLE, "Every upstream of the model '" + plan.publicModel()
        + "' is failing, and a probe of it is already under way; try again in a few seconds.");
  }

  /** A key of this target not yet tried, if its breaker lets a call through. */
  private Choice onTarget(Candidate c) {
    if (c.provider().passthrough() || c.provider().apiKeys().size() < 2) {
      return null;
    }
    KeyLease lease = pools.pool(c.provider()).lease(session, keys(c, tried));
    if (lease == null) {
      return null;
    }
    Breakers.Breaker b = breakers.of(c.target());
    if (!b.tryAcquire()) {
      lease.release(KeyLease.Outcome.ABANDONED, null, 0);
      return null;
    }
    return new Choice(c, lease, b, true);
  }

  private KeyLease lease(Candidate c, boolean reuse) {
    if (c.provider().passthrough()) {
      return new KeyLease(callerSecret(c));
    }
    if (c.provider().apiKeys().isEmpty()) {
      return new KeyLease((Secret) null);
    }
    KeyPool pool = pools.pool(c.provider());
    KeyLease lease = pool.lease(session, keys(c, tried));
    return lease == null && reuse ? pool.lease(session, keys(c, refused)) : lease;
  }

  private Secret callerSecret(Candidate c) {
    if (callerToken == null || callerToken.isBlank()) {
      throw GatewayException.of(ErrorType.MISSING_API_KEY, "provider " + c.provider().name()
          + " uses the caller's own upstream key: send it as 'Authorization: Bearer <key>'");
    }
    String token = callerToken.strip();
    if (c.provider().stripSkPrefix() && token.startsWith("sk-")) {
      token = token.substring(3);
    }
    return Secret.of(token);
  }

  private static Set<Integer> keys(Candidate c, List<Tried> attempts) {
    Set<Integer> keys = null;
    for (Tried t : attempts) {
      if (t.candidate().equals(c) && t.key() != null) {
        if (keys == null) {
          keys = new HashSet<>();
        }
        keys.add(t.key());
      }
    }
    return keys == null ? Set.of() : keys;
  }

  private boolean triedTarget(Candidate c) {
    for (Tried t : tried) {
      if (t.candidate().equals(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A target by weight: at random, or, for a session, the same one each time while the group is the same
   * (weighted rendezvous hashing), so the upstream's prompt cache keeps hitting.
   */
  private Candidate pick(List<Candidate> group) {
    if (group.size() == 1) {
      return group.get(0);
    }
    if (session != null) {
      Candidate best = null;
      double bestScore = Double.MAX_VALUE;
      for (Candidate c : group) {
        long h = mix((session.hashCode() * 31L) ^ c.target().hashCode());
        double u = ((h >>> 11) + 1) / (double) (1L << 53);
        double score = -Math.log(u) / c.weight();
        if (score < bestScore) {
          bestScore = score;
          best = c;
        }
      }
      return best;
    }
    int total = 0;
    for (Candidate c : group) {
      total += c.weight();
    }
    int r = ThreadLocalRandom.current().nextInt(total);
    for (Candidate c : group) {
      r -= c.weight();
      if (r < 0) {
        return c;
      }
    }
    return group.get(group.size() - 1);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
