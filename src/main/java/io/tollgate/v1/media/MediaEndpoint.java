package io.tollgate.v1.media;

/** The OpenAI endpoints passed through as they are: their path below an upstream's base URL, their body's form. */
enum MediaEndpoint {
  IMAGE_GENERATIONS("/images/generations", false),
  IMAGE_EDITS("/images/edits", true),
  TRANSCRIPTIONS("/audio/transcriptions", true),
  TRANSLATIONS("/audio/translations", true),
  SPEECH("/audio/speech", false),
  MODERATIONS("/moderations", false);

  private final String path;
  private final boolean multipart;

  MediaEndpoint(String path, boolean multipart) {
    this.path = path;
    this.multipart = multipart;
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
