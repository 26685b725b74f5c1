package io.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.ChatDeltas;
import io.tollgate.openai.Ids;
import io.tollgate.openai.Json;
import io.tollgate.provider.ChunkSink;
import io.tollgate.provider.Route;
import io.tollgate.provider.gemini.GeminiWire.Candidate;
import io.tollgate.provider.gemini.GeminiWire.Part;
import io.tollgate.provider.gemini.GeminiWire.Response;
import io.tollgate.upstream.SseListener;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gemini's {@code alt=sse} stream (every event a whole GenerateContentResponse, no end marker) as OpenAI chunks:
 * per candidate text and reasoning deltas (the first naming the role), each function call as one complete tool
 * call delta, and a finish chunk; then one usage chunk from the last usageMetadata. One id for the whole stream.
 *
 * <p>The sink is opened with the first chunk, not with the upstream's 200, so that a prompt Gemini blocks (or an
 * error event) before any output still reaches the client as a plain HTTP error.
 */
final class GeminiStream implements SseListener {
  private final ChunkSink sink;
  private final Route route;
  private final boolean chat;
  private final String id;
  private final long created = System.currentTimeMillis() / 1000;
  private final Map<Integer, CandidateState> states = new TreeMap<>();
  private GeminiWire.UsageMetadata usage;
  /** The model Gemini reports in its first event, or the one it was sent; every chunk names the same. */
  private String model;
  private boolean opened;
  private boolean done;

  /** Where one candidate's output stands. */
  private static final class CandidateState {
    int toolCalls;
    boolean roleSent;
    boolean finished;
  }

  GeminiStream(ChunkSink sink, Route route, boolean chat) {
    this.sink = sink;
    this.route = route;
    this.chat = chat;
    this.id = Ids.random(chat ? "chatcmpl-" : "cmpl-");
  }

  @Override
  public void onOpen() {
    // deferred to the first chunk; see the class comment
  }

  @Override
  public void onEvent(String name, byte[] data) {
    if (done || data.length == 0) {
      return;
    }
    Response response;
    try {
      response = GeminiWire.read(data, Response.class);
    } catch (Exception e) {
      fail(GatewayException.caused(ErrorType.UPSTREAM_ERROR, "the Gemini upstream sent an unreadable event", e));
      return;
    }
    if (response.error() != null) {
      fail(GeminiErrors.inStream(response.error(), route));
      return;
    }
    if (response.usageMetadata() != null) {
      usage = response.usageMetadata();
    }
    if (model == null) {
      model = response.model(route.upstreamModel());
    }
    List<Candidate> candidates = response.candidateList();
    if (candidates.isEmpty() && response.promptFeedback() != null && response.promptFeedback().blockReason() != null) {
      fail(AnswerMapper.noCandidates(response));
      return;
    }
    for (int i = 0; i < candidates.size(); i++) {
      candidate(candidates.get(i).position(i), candidates.get(i));
    }
  }

  private void candidate(int index, Candidate c) {
    CandidateState state = states.get(index);
    if (state == null) {
      state = new CandidateState();
      states.put(index, state);
    }
    if (state.finished) {
      return;
    }
    for (Part p : c.partList()) {
      if (p.functionCall() != null && chat) {
        ObjectNode call = AnswerMapper.toolCall(p.functionCall(), p.thoughtSignature()).put("index", state.toolCalls++);
        ObjectNode delta = delta();
        delta.putArray("tool_calls").add(call);
        emit(index, delta, null);
      } else if (p.text() != null && !p.text().isEmpty() && (chat || !p.isThought())) {
        emit(index, delta().put(p.isThought() ? "reasoning_content" : "content", p.text()), null);
      }
    }
    if (c.finishReason() != null) {
      finish(index, state, c.finishReason());
    }
  }

  private void finish(int index, CandidateState state, String reason) {
    state.finished = true;
    emit(index, delta(), AnswerMapper.finishReason(reason, state.toolCalls > 0));
  }

  @Override
  public boolean onPause(Runnable more) {
    return done || sink.onPause(more);
  }

  @Override
  public void onError(RuntimeException error) {
    fail(GeminiErrors.map(error, route));
  }

  @Override
  public void onClose() {
    if (done) {
      return;
    }
    if (states.isEmpty()) {
      candidate(0, new Candidate(null, null, 0));
    }
    states.forEach((index, state) -> {
      if (!state.finished) {
        finish(index, state, null);
      }
    });
    if (usage != null) {
      ObjectNode chunk = head();
      chunk.putArray("choices");
      chunk.set("usage", AnswerMapper.usageNode(usage));
      send(chunk);
    }
    done = true;
    sink.onComplete();
  }

  private void fail(GatewayException error) {
    if (!done) {
      done = true;
      sink.onError(error);
    }
  }

  /** A chat delta, or for legacy completions a text holder: the delta's content becomes the choice's text. */
  private ObjectNode delta() {
    return Json.MAPPER.createObjectNode();
  }

  /** One delta of a candidate; its first names the role, as {@link ChatDeltas} says. */
  private void emit(int index, ObjectNode delta, String finishReason) {
    CandidateState state = states.get(index);
    if (chat && !state.roleSent) {
      state.roleSent = true;
      List<ObjectNode> opening = ChatDeltas.opening(delta);
      if (opening.size() > 1) {
        send(chunk(index, opening.get(0), null));
      }
      delta = opening.get(opening.size() - 1);
    }
    send(chunk(index, delta, finishReason));
  }

  private ObjectNode chunk(int index, ObjectNode delta, String finishReason) {
    ObjectNode chunk = head();
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", index);
    if (chat) {
      choice.set("delta", delta);
    } else {
      choice.put("text", delta.path("content").asText(""));
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    return chunk;
  }

  private ObjectNode head() {
    return Json.MAPPER.createObjectNode().put("id", id)
        .put("object", chat ? "chat.completion.chunk" : "text_completion").put("created", created)
        .put("model", model == null ? route.upstreamModel() : model);
  }

  private void send(ObjectNode chunk) {
    if (!opened) {
      opened = true;
      sink.onOpen();
    }
    sink.onChunk(Json.bytes(chunk));
  }
}
