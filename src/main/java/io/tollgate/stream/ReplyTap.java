package io.tollgate.stream;

import java.util.Map;

/**
 * Sees what an {@link AsyncReply} sends its client, for those that keep a copy (the response cache, the log's
 * bodies). Called under the reply's monitor, in order, only for what was really written: keep it cheap.
 */
public interface ReplyTap {
  /** A whole answer went out: its status, the headers set with it, and its body. */
  default void json(int status, Map<String, String> headers, byte[] body) {
  }

  /** One stream event went out, under its {@code event:} name or none. */
  default void event(String name, byte[] json) {
  }

  /**
   * The reply ended: {@code ok} when a whole answer or a stream completed normally, false when it ended in an error
   * or the client left.
   */
  default void ended(boolean ok) {
  }
}
