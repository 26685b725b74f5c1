package io.tollgate.cache;

import io.tollgate.stream.ReplyTap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps a copy of what a reply sends, and hands it on when the reply ends: the answer when it is worth storing (a
 * 200 whole answer, or a stream that completed without an error event, within the entry size bound), else null.
 * Called under the reply's monitor, so it only collects; what it hands on to must be cheap too.
 */
final class CacheTap implements ReplyTap {
  private static final byte[] ERROR_PREFIX = "{\"error\"".getBytes(StandardCharsets.UTF_8);

  private final int maxBytes;
  private final Consumer<CachedAnswer> onEnd;
  private final List<byte[]> events = new ArrayList<>();
  /** Null until an event has a name. */
  private List<String> names;
  private byte[] whole;
  private int status;
  private long size;
  private boolean unfit;

  CacheTap(int maxBytes, Consumer<CachedAnswer> onEnd) {
    this.maxBytes = maxBytes;
    this.onEnd = onEnd;
  }

  @Override
  public void json(int status, Map<String, String> headers, byte[] body) {
    this.status = status;
    this.whole = body;
    grow(body.length);
  }

  @Override
  public void event(String name, byte[] json) {
    if (unfit) {
      return;
    }
    if ("error".equals(name) || startsWithError(json)) {
      unfit = true;
      return;
    }
    grow(json.length + (name == null ? 0 : name.length()));
    if (!unfit) {
      if (name != null && names == null) {
        names = new ArrayList<>(Collections.nCopies(events.size(), null));
      }
      events.add(json);
      if (names != null) {
        names.add(name);
      }
    }
  }

  @Override
  public void ended(boolean ok) {
    onEnd.accept(ok && !unfit ? answer() : null);
  }

  private CachedAnswer answer() {
    if (whole != null) {
      return status == 200 ? CachedAnswer.whole(whole) : null;
    }
    return events.isEmpty() ? null : CachedAnswer.stream(events.toArray(new byte[0][]),
        names == null ? null : names.toArray(new String[0]));
  }

  private void grow(long bytes) {
    size += bytes;
    if (size > maxBytes) {
      unfit = true;
      events.clear();
      names = null;
    }
  }

  private static boolean startsWithError(byte[] json) {
    if (json.length < ERROR_PREFIX.length) {
      return false;
    }
    for (int i = 0; i < ERROR_PREFIX.length; i++) {
      if (json[i] != ERROR_PREFIX[i]) {
        return false;
      }
    }
    return true;
  }
}
