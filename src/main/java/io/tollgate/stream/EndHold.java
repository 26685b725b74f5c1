package io.tollgate.stream;

import java.util.concurrent.CompletionStage;

/**
 * Work that must be done before a reply's successful end goes out (a session storing the answer, so the client's
 * next turn sees it): a whole 2xx answer is written, or a stream's end sent, when the stage completes, either way,
 * unless the hold ended the reply itself before (with an error: then the held end finds the reply finished).
 * The stage must be bounded in time; it should not complete on an upstream thread's stack with blocking work.
 */
public interface EndHold {
  /** Called once, at the successful end: with the whole answer's body, or null for a stream. */
  CompletionStage<?> beforeEnd(byte[] wholeAnswer);
}
