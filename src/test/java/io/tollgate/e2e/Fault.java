package io.tollgate.e2e;

import java.util.Locale;

/**
 * One way an upstream (or a client) fails in the faults-under-load tests, and the status a client then gets for a
 * plain and a streamed call, whatever its dialect and the provider's type (0: the client left, so none).
 */
enum Fault {
  OK(200, 200), SLOW(200, 200), REFUSE(502, 502), RESET(502, 502), HANG(504, 504), DROP(502, 200),
  SERVER_ERROR(502, 502), UNAVAILABLE(502, 502), RATE_LIMITED(429, 429), CLIENT_LEAVES(0, 0);

  final int plain;
  final int stream;

  Fault(int plain, int stream) {
    this.plain = plain;
    this.stream = stream;
  }

  int status(boolean streamed) {
    return streamed ? stream : plain;
  }

  String model() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
