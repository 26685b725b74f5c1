import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stream load generator: CONCURRENCY clients (one virtual thread and one keep-alive connection each) that each
 * open server-sent-event streams back to back for DURATION seconds (started evenly over RAMP seconds), so that about
 * CONCURRENCY streams are open at any time. Every stream must answer 200, carry EXPECT data events and end with
 * data: [DONE]; anything else counts as failed, with its reason. TTFB is from the start of the request (connect
 * included when the connection is new) to the first complete "data:" line. A small HTTP/1.1 client of its own
 * (Content-Length, chunked, or until close) so that reading is spread over virtual threads, not one selector.
 * Bounded: new streams start only until RAMP + DURATION; whatever is still open TIMEOUT seconds later is counted
 * unfinished and the program exits. Needs Java 21+. Prints one line: BENCHJSON {...}.
 *
 *   java StreamClient.java --url http://127.0.0.1:18080/v1/chat/completions --body req.json
 *        [--header 'Authorization: Bearer k'] [--concurrency 1000] [--duration 10] [--ramp 2] [--timeout 30]
 *        [--expect 20]
 */
public class StreamClient {
  static URI url;
  static byte[] requestHead;
  static byte[] body;
  static int expectEvents = 20;
  static int timeoutMillis = 30_000;

  static final AtomicLong started = new AtomicLong();
  static final AtomicLong completed = new AtomicLong();
  static final AtomicLong failed = new AtomicLong();
  static final AtomicLong staleRetries = new AtomicLong();
  static final AtomicLong connects = new AtomicLong();
  static final AtomicInteger open = new AtomicInteger();
  static final AtomicInteger maxOpen = new AtomicInteger();
  static final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
  static final List<String> samples = java.util.Collections.synchronizedList(new ArrayList<>());

  public static void main(String[] args) throws Exception {
    Map<String, List<String>> opts = parse(args);
    url = URI.create(one(opts, "url", null));
    body = Files.readAllBytes(Path.of(one(opts, "body", null)));
    int concurrency = Integer.parseInt(one(opts, "concurrency", "1000"));
    double duration = Double.parseDouble(one(opts, "duration", "10"));
    double ramp = Double.parseDouble(one(opts, "ramp", "2"));
    timeoutMillis = (int) (Double.parseDouble(one(opts, "timeout", "30")) * 1000);
    expectEvents = Integer.parseInt(one(opts, "expect", "20"));
    StringBuilder head = new StringBuilder()
        .append("POST ").append(url.getRawPath()).append(" HTTP/1.1\r\n")
        .append("Host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n")
        .append("Content-Type: application/json\r\nAccept: text/event-stream\r\n")
        .append("Content-Length: ").append(body.length).append("\r\n");
    for (String h : opts.getOrDefault("header", List.of())) {
      head.append(h).append("\r\n");
    }
    requestHead = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);

    long t0 = System.nanoTime();
    long stopStarting = t0 + (long) ((ramp + duration) * 1e9);
    long hardDeadline = stopStarting + timeoutMillis * 1_000_000L + 2_000_000_000L;
    List<Worker> workers = new ArrayList<>();
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    for (int i = 0; i < concurrency; i++) {
      Worker w = new Worker(t0 + (long) (ramp * 1e9 * i / concurrency), stopStarting);
      workers.add(w);
      threads.submit(w);
    }
    threads.shutdown();
    boolean finished = threads.awaitTermination(Math.max(1, hardDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long unfinished = started.get() - completed.get() - failed.get();
    if (unfinished > 0) {
      failures.computeIfAbsent("unfinished at the deadline", k -> new AtomicLong()).addAndGet(unfinished);
    }

    long[] ttfb = merge(workers, true);
    long[] total = merge(workers, false);
    StringBuilder out = new StringBuilder("BENCHJSON {");
    out.append("\"concurrency\":").append(concurrency)
        .append(",\"duration_s\":").append(duration).append(",\"ramp_s\":").append(ramp)
        .append(",\"elapsed_s\":").append(String.format(Locale.ROOT, "%.3f", elapsed))
        .append(",\"started\":").append(started.get())
        .append(",\"completed\":").append(completed.get())
        .append(",\"failed\":").append(failed.get() + Math.max(0, unfinished))
        .append(",\"streams_per_s\":").append(String.format(Locale.ROOT, "%.1f", completed.get() / elapsed))
        .append(",\"max_open\":").append(maxOpen.get())
        .append(",\"connects\":").append(connects.get())
        .append(",\"stale_retries\":").append(staleRetries.get())
        .append(",\"client_cpu_s\":").append(String.format(Locale.ROOT, "%.2f",
            ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(-1.0)))
        .append(",\"ttfb_ms\":").append(stats(ttfb))
        .append(",\"stream_ms\":").append(stats(total))
        .append(",\"failures\":{");
    Map<String, AtomicLong> sorted = new TreeMap<>(failures);
    int n = 0;
    for (var e : sorted.entrySet()) {
      out.append(n++ > 0 ? "," : "").append(json(e.getKey())).append(':').append(e.getValue().get());
    }
    out.append("},\"failure_samples\":[");
    synchronized (samples) {
      for (int i = 0; i < samples.size(); i++) {
        out.append(i > 0 ? "," : "").append(json(samples.get(i)));
      }
    }
    out.append("],\"all_finished\":").append(finished).append('}');
    System.out.println(out);
    System.exit(0);
  }

  static final class Worker implements Runnable {
    final long startAt;
    final long stopStarting;
    long[] ttfb = new long[64];
    long[] total = new long[64];
    int count;
    Socket socket;
    BufferedInputStream in;
    OutputStream out;

    Worker(long startAt, long stopStarting) {
      this.startAt = startAt;
      this.stopStarting = stopStarting;
    }

    @Override
    public void run() {
      try {
        long wait = startAt - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        while (System.nanoTime() < stopStarting) {
          started.incrementAndGet();
          long begin = System.nanoTime();
          try {
            boolean reused = socket != null;
            Result r;
            try {
              r = once(begin);
            } catch (StaleConnection e) {
              if (!reused) {
                throw new IOException("connection closed before any response");
              }
              staleRetries.incrementAndGet();
              close();
              r = once(begin);
            }
            if (r.error == null) {
              completed.incrementAndGet();
              record(r.ttfbNanos, System.nanoTime() - begin);
            } else {
              fail(r.error, r.detail);
            }
          } catch (SocketTimeoutException e) {
            fail("timeout (no byte for " + timeoutMillis / 1000 + " s)", e.toString());
            close();
          } catch (IOException e) {
            fail(e.getClass().getSimpleName() + ": " + reason(e.getMessage()), e.toString());
            close();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        close();
      }
    }

    private Result once(long begin) throws IOException {
      if (socket == null) {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), timeoutMillis);
        connects.incrementAndGet();
        in = new BufferedInputStream(socket.getInputStream(), 16384);
        out = socket.getOutputStream();
      }
      out.write(requestHead);
      out.write(body);
      out.flush();
      int first = in.read();
      if (first < 0) {
        throw new StaleConnection();
      }
      String status = (char) first + line(in);
      String[] parts = status.split(" ", 3);
      int code = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
      long length = -1;
      boolean chunked = false;
      boolean close = status.startsWith("HTTP/1.0");
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        int colon = h.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.contains("chunked");
          case "connection" -> close = value.contains("close");
          default -> { }
        }
      }
      InputStream bodyIn = chunked ? new Chunked(in) : length >= 0 ? new Limited(in, length) : in;
      if (!chunked && length < 0) {
        close = true;
      }
      Result r;
      if (code != 200) {
        String text = new String(bodyIn.readAllBytes(), StandardCharsets.UTF_8);
        r = new Result("HTTP " + code, text.length() > 300 ? text.substring(0, 300) : text, 0);
      } else {
        int now = open.incrementAndGet();
        maxOpen.accumulateAndGet(now, Math::max);
        try {
          r = readEvents(bodyIn, begin);
        } finally {
          open.decrementAndGet();
        }
      }
      if (close) {
        close();
      }
      return r;
    }

    private Result readEvents(InputStream bodyIn, long begin) throws IOException {
      long firstData = 0;
      int events = 0;
      boolean done = false;
      boolean afterDone = false;
      String line;
      while ((line = bodyLine(bodyIn)) != null) {
        if (!line.startsWith("data:")) {
          continue;
        }
        if (firstData == 0) {
          firstData = System.nanoTime();
        }
        String data = line.substring(5).trim();
        if (done) {
          afterDone = true;
        } else if (data.equals("[DONE]")) {
          done = true;
        } else {
          events++;
        }
      }
      if (!done) {
        return new Result("ended without [DONE]", events + " data events before the end", 0);
      }
      if (afterDone) {
        return new Result("data after [DONE]", "", 0);
      }
      if (expectEvents > 0 && events != expectEvents) {
        return new Result("wrong number of events", events + " data events, expected " + expectEvents, 0);
      }
      return new Result(null, null, firstData - begin);
    }

    void record(long t, long all) {
      if (count == ttfb.length) {
        ttfb = Arrays.copyOf(ttfb, count * 2);
        total = Arrays.copyOf(total, count * 2);
      }
      ttfb[count] = t;
      total[count++] = all;
    }

    void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      socket = null;
      in = null;
      out = null;
    }
  }

  record Result(String error, String detail, long ttfbNanos) {
  }

  static final class StaleConnection extends IOException {
  }

  static void fail(String reason, String detail) {
    failed.incrementAndGet();
    failures.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
    if (samples.size() < 8) {
      samples.add(reason + (detail == null || detail.isEmpty() ? "" : " | " + detail));
    }
  }

  static String reason(String message) {
    if (message == null) {
      return "";
    }
    return message.replaceAll("[0-9]+", "N");
  }

  /** A body line (without CR LF), or null at the end of the body. */
  static String bodyLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(512);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        return strip(b.toString(StandardCharsets.UTF_8));
      }
      b.write(c);
    }
    return b.size() == 0 ? null : strip(b.toString(StandardCharsets.UTF_8));
  }

  /** A header line; end of input here is an error. */
  static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        return strip(sb.toString());
      }
      sb.append((char) c);
    }
    throw new EOFException("connection closed in the response head");
  }

  static String strip(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  static final class Limited extends InputStream {
    final InputStream in;
    long left;

    Limited(InputStream in, long left) {
      this.in = in;
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed " + left + " bytes before the end of the body");
      }
      left--;
      return c;
    }
  }

  static final class Chunked extends InputStream {
    final InputStream in;
    long left;
    boolean end;

    Chunked(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (end) {
        return -1;
      }
      if (left == 0) {
        String size = line(in);
        if (size.isEmpty()) {
          size = line(in);
        }
        left = Long.parseLong(size.split(";")[0].trim(), 16);
        if (left == 0) {
          for (String t = line(in); !t.isEmpty(); t = line(in)) {
            // trailers
          }
          end = true;
          return -1;
        }
      }
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed inside a chunk");
      }
      if (--left == 0) {
        // the CR LF after the chunk's data
        line(in);
      }
      return c;
    }
  }

  static long[] merge(List<Worker> workers, boolean ttfb) {
    int n = 0;
    for (Worker w : workers) {
      n += w.count;
    }
    long[] all = new long[n];
    int at = 0;
    for (Worker w : workers) {
      long[] a = ttfb ? w.ttfb : w.total;
      int c = Math.min(w.count, a.length);
      int k = Math.min(c, all.length - at);
      System.arraycopy(a, 0, all, at, k);
      at += k;
    }
    all = Arrays.copyOf(all, at);
    Arrays.sort(all);
    return all;
  }

  static String stats(long[] sorted) {
    if (sorted.length == 0) {
      return "null";
    }
    return String.format(Locale.ROOT, "{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f,\"n\":%d}",
        pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted[sorted.length - 1] / 1e6, sorted.length);
  }

  static double pct(long[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  static Map<String, List<String>> parse(String[] args) {
    Map<String, List<String>> m = new TreeMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println("bad argument: " + args[i]);
        System.exit(2);
      }
      m.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>()).add(args[++i]);
    }
    return m;
  }

  static String one(Map<String, List<String>> opts, String name, String fallback) {
    List<String> v = opts.get(name);
    if (v == null || v.isEmpty()) {
      if (fallback == null) {
        System.err.println("missing --" + name);
        System.exit(2);
      }
      return fallback;
    }
    return v.get(v.size() - 1);
  }
}
