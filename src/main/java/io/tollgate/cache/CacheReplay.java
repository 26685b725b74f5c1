package io.tollgate.cache;

import io.tollgate.stream.AsyncReply;

/** Sends a cached answer again: a whole answer as it was, a stream as its events, ended as its dialect ends one. */
final class CacheReplay {
  private CacheReplay() {
  }

  static void send(CachedAnswer answer, AsyncReply reply, boolean anthropic) {
    if (!answer.isStream()) {
      reply.json(200, answer.body());
      return;
    }
    for (int i = 0; i < answer.events(); i++) {
      if (!reply.event(answer.name(i), answer.data(i))) {
        return;
      }
    }
    if (anthropic) {
      reply.end();
    } else {
      reply.done();
    }
  }
}
