package io.tollgate.usage;

/**
 * Which request-log rows are API requests, the traffic stats count and the hourly rollups sum up: the paths of the
 * OpenAI and Anthropic APIs (with /v1, without it and under /api/v1), refused ones included (a 401 or 429 on
 * /v1/chat/completions is a failed request). The log also holds every refused admin call and every stray path.
 */
public final class ApiRows {
  public static final String CONDITION = "(path LIKE '/v1/%' OR (path LIKE '/api/v1/%'"
      + " AND path NOT LIKE '/api/v1/admin/%' AND path <> '/api/v1/admin') OR path IN ('/chat/completions',"
      + " '/completions', '/embeddings', '/messages', '/messages/count_tokens', '/models', '/images/generations',"
      + " '/images/edits', '/audio/transcriptions', '/audio/translations', '/audio/speech', '/moderations',"
      + " '/responses') OR path LIKE '/models/%' OR path LIKE '/responses/%')";

  private ApiRows() {
  }
}
