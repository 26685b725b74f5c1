package io.tollgate.usage;

import com.knuddels.jtokkit.api.Encoding;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * What the gateway needs to count a request's tokens itself, should its upstream not report them: how to count the
 * prompt, and the answer's pieces as they were relayed to the client. Pieces are kept as the byte arrays they already
 * are and read only when counting is needed, so a stream whose upstream reports usage (the common case) pays for a
 * list append per chunk and nothing else. Written by the relaying thread, read by whichever thread ends the request.
 */
public final class UsageTally {
  /** How the relayed pieces are written. */
  public enum Pieces { OPENAI_CHUNKS, ANTHROPIC_EVENTS, RESPONSES_EVENTS }

  private volatile ToIntFunction<Encoding> prompt;
  private volatile boolean producesText = true;
  private volatile boolean settled;
  private boolean began;
  private Pieces format = Pieces.OPENAI_CHUNKS;
  private final List<byte[]> sent = new ArrayList<>();

  /** How to count this request's prompt; {@code producesText} is false for embeddings, which answer no text. */
  public void prompt(ToIntFunction<Encoding> counter, boolean producesText) {
    this.prompt = counter;
    this.producesText = producesText;
  }

  public int countPrompt(Encoding encoding) {
    ToIntFunction<Encoding> p = prompt;
    return p == null ? 0 : p.applyAsInt(encoding);
  }

  public boolean producesText() {
    return producesText;
  }

  /** A piece of the answer has reached the client: kept for counting, until the usage is settled. */
  public synchronized void sent(Pieces kind, byte[] piece) {
    began = true;
    if (!settled) {
      format = kind;
      sent.add(piece);
    }
  }

  /** The answer began reaching the client (a piece with no text to count, such as Anthropic's message_start). */
  public synchronized void began() {
    began = true;
  }

  public synchronized boolean hasBegun() {
    return began;
  }

  /** The usage is final (the upstream's own, or counted for a whole answer): nothing left to count. */
  public synchronized void settle() {
    settled = true;
    began = true;
    sent.clear();
  }

  public boolean isSettled() {
    return settled;
  }

  /** The first piece relayed (its envelope names the stream), or null. */
  public synchronized byte[] first() {
    return sent.isEmpty() ? null : sent.get(0);
  }

  /** Tokens of the text relayed so far. */
  public synchronized int countSent(Encoding encoding) {
    StringBuilder text = new StringBuilder();
    for (byte[] piece : sent) {
      switch (format) {
        case ANTHROPIC_EVENTS -> AnswerText.ofAnthropicEvent(piece, text);
        case RESPONSES_EVENTS -> AnswerText.ofResponsesEvent(piece, text);
        default -> AnswerText.ofOpenAiChunk(piece, text);
      }
    }
    return TokenCounter.count(encoding, text);
  }
}
