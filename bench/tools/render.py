#!/usr/bin/env python3
"""Writes the benchmark's fixed answers and request bodies, and renders the config templates.

  render.py fixtures OUT_DIR
      OUT_DIR/completion.json   the fixed OpenAI chat completion (non-stream answer)
      OUT_DIR/stream.sse        the fixed 20-event OpenAI chat-completion stream, then data: [DONE]
      OUT_DIR/req-json.json     request body for the non-stream scenarios (model bench-json)
      OUT_DIR/req-sse.json      request body for the fixed-SSE scenario (model bench-sse, stream true)
      OUT_DIR/req-slow.json     request body for the slow-stream scenarios (model bench-slow, stream true)
      OUT_DIR/req-hit.json      request body for the cache-hit scenario (model bench-json, temperature 0)
      OUT_DIR/req-msg.json      an Anthropic Messages request for the same SSE upstream (msg64)
      OUT_DIR/req-resp.json     a Responses API request for the same SSE upstream, store false (resp64)
      OUT_DIR/req-kept.json     the same with store left to its default, true: each response kept (kept64)
  render.py template IN OUT KEY=VALUE...
      copies IN to OUT replacing @KEY@; @JSON_RETURN@ and @SSE_RETURN@ become nginx `set`s and a `return 200`
      of the fixed answers from the fixtures (FIXTURES=dir), split to fit nginx's 4 KB limit per config token.
Standard library only.
"""
import json
import os
import sys

CREATED = 1700000000
ID = "chatcmpl-bench0000000000000000000001"
WORDS = ("Tollgate", " relays", " this", " fixed", " answer", " one", " small", " chunk", " at", " a",
         " time", " so", " the", " benchmark", " measures", " only", " the")
COMPACT = (",", ":")


def completion():
    return {
        "id": ID, "object": "chat.completion", "created": CREATED, "model": "bench-json",
        "system_fingerprint": "fp_bench",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": "".join(WORDS) + " gateway.", "refusal": None},
            "logprobs": None, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 18, "total_tokens": 30},
    }


def chunk(delta, finish=None, choices=True, usage=None):
    c = {"id": ID, "object": "chat.completion.chunk", "created": CREATED, "model": "bench-sse",
         "system_fingerprint": "fp_bench"}
    c["choices"] = [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}] if choices else []
    c["usage"] = usage
    return c


def stream_events():
    """20 events as OpenAI sends them with stream_options.include_usage: role, 17 content, finish, usage."""
    events = [chunk({"role": "assistant", "content": "", "refusal": None})]
    events += [chunk({"content": w}) for w in WORDS]
    events.append(chunk({}, finish="stop"))
    events.append(chunk(None, choices=False,
                        usage={"prompt_tokens": 12, "completion_tokens": 17, "total_tokens": 29}))
    assert len(events) == 20
    return "".join("data: " + json.dumps(e, separators=COMPACT) + "\n\n" for e in events) + "data: [DONE]\n\n"


def request(model, stream, temperature=None):
    body = {"model": model, "messages": [{"role": "user", "content": "Say something short."}], "max_tokens": 64}
    if temperature is not None:
        body["temperature"] = temperature
    if stream:
        # Ask for the usage chunk, as the upstreams always send it: Tollgate asks upstream for usage anyway and
        # drops that chunk for a client that did not ask, so without this the gateway's answer has 19 events.
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    return json.dumps(body, separators=COMPACT)


def fixtures(out):
    os.makedirs(out, exist_ok=True)
    files = {
        "completion.json": json.dumps(completion(), separators=COMPACT),
        "stream.sse": stream_events(),
        "req-json.json": request("bench-json", False),
        "req-sse.json": request("bench-sse", True),
        "req-slow.json": request("bench-slow", True),
        "req-hit.json": request("bench-json", False, 0),
        # The fixed SSE upstream's 20 chunks, translated: into Anthropic's events, and into the Responses API's.
        "req-msg.json": json.dumps({"model": "bench-sse", "max_tokens": 64, "stream": True,
                                    "messages": [{"role": "user", "content": "Say something short."}]},
                                   separators=COMPACT),
        # resp64 measures the translation alone, as msg64 does; kept64 adds keeping each response in the database.
        "req-resp.json": json.dumps({"model": "bench-sse", "max_output_tokens": 64, "stream": True, "store": False,
                                     "input": "Say something short."}, separators=COMPACT),
        "req-kept.json": json.dumps({"model": "bench-sse", "max_output_tokens": 64, "stream": True,
                                     "input": "Say something short."}, separators=COMPACT),
    }
    for name, text in files.items():
        with open(os.path.join(out, name), "w", newline="") as f:
            f.write(text)


def nginx_single_quoted(text):
    return text.replace("\\", "\\\\").replace("'", "\\'")


def nginx_return(name, text, piece=3000):
    """`set $NAME_i '...';` for each piece of the body, then `return 200 "$NAME_0$NAME_1...";`."""
    pieces = [text[i:i + piece] for i in range(0, len(text), piece)]
    lines = ["set $%s_%d '%s';" % (name, i, nginx_single_quoted(p)) for i, p in enumerate(pieces)]
    lines.append('return 200 "%s";' % "".join("${%s_%d}" % (name, i) for i in range(len(pieces))))
    return "\n      ".join(lines)


def template(src, dst, pairs):
    values = dict(p.split("=", 1) for p in pairs)
    fx = os.environ.get("FIXTURES")
    with open(src) as f:
        text = f.read()
    if fx:
        for key, name in (("JSON_RETURN", "completion.json"), ("SSE_RETURN", "stream.sse")):
            with open(os.path.join(fx, name)) as f:
                values.setdefault(key, nginx_return(key.split("_")[0].lower() + "_body", f.read()))
    for k, v in values.items():
        text = text.replace("@" + k + "@", v)
    left = [w for w in text.split("@")[1::2] if w.isupper() and " " not in w and w.replace("_", "").isalnum()]
    if left:
        sys.exit("render.py: %s still has placeholders %s" % (src, sorted(set(left))))
    with open(dst, "w", newline="") as f:
        f.write(text)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "fixtures":
        fixtures(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "template":
        template(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit(__doc__)
