package io.tollgate.openai;

/** The OpenAI operations the gateway proxies, with their path below an upstream's base URL. */
public enum Endpoint {
  CHAT("/chat/completions", true),
  COMPLETIONS("/completions", true),
  EMBEDDINGS("/embeddings", false);

  private final String path;
  private final boolean streamable;

  Endpoint(String path, boolean streamable) {
    this.path = path;
    this.streamable = streamable;
  }

  public String path() {
    return path;
  }

  public boolean streamable() {
    return streamable;
  }
}
