package io.tollgate.v1.media;

/**
 * The OpenAI endpoints passed through as they are: their path below an upstream's base URL, their body's form, and
 * the model a call without one is routed as (OpenAI makes it optional for moderations only).
 */
enum MediaEndpoint {
  IMAGE_GENERATIONS("/images/generations", false, null),
  IMAGE_EDITS("/images/edits", true, null),
  TRANSCRIPTIONS("/audio/transcriptions", true, null),
  TRANSLATIONS("/audio/translations", true, null),
  SPEECH("/audio/speech", false, null),
  MODERATIONS("/moderations", false, "omni-moderation-latest");

  private final String path;
  private final boolean multipart;
  private final String defaultModel;

  MediaEndpoint(String path, boolean multipart, String defaultModel) {
    this.path = path;
    this.multipart = multipart;
    this.defaultModel = defaultModel;
  }

  /** The model a call without one names, null when it must name one. */
  String defaultModel() {
    return defaultModel;
  }

  /** Whether the answer is taken whole (JSON, a transcript), not streamed as it comes (speech). */
  boolean wholeAnswer() {
    return this != SPEECH;
  }

  String path() {
    return path;
  }

  boolean multipart() {
    return multipart;
  }

  /** The endpoint a servlet path names, with or without {@code /v1} or {@code /api/v1} before it. */
  static MediaEndpoint of(String servletPath) {
    for (MediaEndpoint e : values()) {
      if (servletPath.endsWith(e.path)) {
        return e;
      }
    }
    throw new IllegalArgumentException("not a media path: " + servletPath);
  }
}
