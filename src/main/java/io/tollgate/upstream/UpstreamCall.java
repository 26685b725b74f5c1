package io.tollgate.upstream;

/** A running upstream exchange that the gateway can abandon, for example when its client has gone. */
public interface UpstreamCall {
  UpstreamCall NONE = () -> { };

  void cancel();
}
