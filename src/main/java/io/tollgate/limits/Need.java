package io.tollgate.limits;

/** One counter a request must take from: how much, in which window, against which limit. */
record Need(Bucket bucket, long amount, Window window, long limit) {
  Metric metric() {
    return bucket.key().metric();
  }

  String scope() {
    return bucket.key().scope();
  }

  Bucket.Take take() {
    return bucket.take(amount, window.start(), limit);
  }

  void giveBack() {
    bucket.giveBack(amount, window.start());
  }

  long remaining() {
    return bucket.remaining(window.start());
  }
}
