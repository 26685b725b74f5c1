import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The slow streaming upstream: every POST is answered with the fixed OpenAI chat-completion stream, one event every
 * GAP milliseconds (20 events 25 ms apart by default, then data: [DONE]), so that many streams stay open at once.
 * HTTP/1.1 with keep-alive and a Content-Length (the stream's bytes are fixed), one virtual thread per connection.
 * Binds 127.0.0.1 only. Needs Java 21+ (virtual threads); run with the source launcher:
 *
 *   java SlowUpstream.java PORT STREAM_FILE [GAP_MS]
 *
 * GET /healthz answers 200 "ok". Prints one line a second with the number of open streams while any are open.
 */
public class SlowUpstream {
  private static final AtomicLong OPEN = new AtomicLong();
  private static final AtomicLong SERVED = new AtomicLong();
  private static byte[][] events;
  private static long contentLength;
  private static long gapMillis;

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: java SlowUpstream.java PORT STREAM_FILE [GAP_MS]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    events = split(Files.readString(Path.of(args[1])));
    gapMillis = args.length > 2 ? Long.parseLong(args[2]) : 25;
    for (byte[] e : events) {
      contentLength += e.length;
    }
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8192);
    System.out.printf("slow upstream on 127.0.0.1:%d: %d events %d ms apart (the last two together), %d bytes%n",
        port, events.length, gapMillis, contentLength);
    Thread.ofPlatform().daemon().start(SlowUpstream::report);
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      while (true) {
        Socket s = server.accept();
        threads.submit(() -> serve(s));
      }
    }
  }

  /** The fixture's events, each with its blank line; data: [DONE] is sent with the event before it. */
  static byte[][] split(String sse) {
    List<byte[]> out = new ArrayList<>();
    String[] parts = sse.split("\n\n");
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.isBlank()) {
        continue;
      }
      String event = p + "\n\n";
      if (i + 1 < parts.length && parts[i + 1].equals("data: [DONE]")) {
        event += "data: [DONE]\n\n";
        i++;
      }
      out.add(event.getBytes(StandardCharsets.UTF_8));
    }
    return out.toArray(new byte[0][]);
  }

  private static void report() {
    long last = -1;
    while (true) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      long open = OPEN.get();
      if (open != 0 || last != 0) {
        System.out.printf("open streams %d, served %d%n", open, SERVED.get());
      }
      last = open;
    }
  }

  private static void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
      OutputStream out = socket.getOutputStream();
      while (true) {
        Request r = Request.read(in);
        if (r == null) {
          return;
        }
        if (r.method.equals("GET") && r.path.startsWith("/healthz")) {
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok")
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } else if (!r.method.equals("POST")) {
          out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } else {
          stream(out);
        }
        if (r.close) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the peer went away (a cancelled stream, a closed pool connection): nothing to do
    }
  }

  private static void stream(OutputStream out) throws IOException, InterruptedException {
    OPEN.incrementAndGet();
    try {
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
          + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < events.length; i++) {
        if (i > 0) {
          Thread.sleep(gapMillis);
        }
        out.write(events[i]);
        out.flush();
      }
      SERVED.incrementAndGet();
    } finally {
      OPEN.decrementAndGet();
    }
  }

  /** Just enough of an HTTP/1.1 request: method, path, Connection: close, and a body to skip. */
  record Request(String method, String path, boolean close) {
    static Request read(InputStream in) throws IOException {
      String line = line(in);
      while (line != null && line.isEmpty()) {
        line = line(in);
      }
      if (line == null) {
        return null;
      }
      String[] parts = line.split(" ");
      if (parts.length < 3) {
        throw new IOException("bad request line");
      }
      long length = 0;
      boolean chunked = false;
      boolean close = parts[2].equals("HTTP/1.0");
      for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
        int colon = h.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.contains("chunked");
          case "connection" -> close = value.contains("close") || (close && !value.contains("keep-alive"));
          default -> { }
        }
      }
      if (chunked) {
        for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
            size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
          skip(in, size);
          line(in);
        }
        for (String t = line(in); t != null && !t.isEmpty(); t = line(in)) {
          // trailers
        }
      } else {
        skip(in, length);
      }
      return new Request(parts[0], parts[1], close);
    }

    private static void skip(InputStream in, long n) throws IOException {
      while (n > 0) {
        long k = in.skip(n);
        if (k <= 0) {
          if (in.read() < 0) {
            throw new IOException("body ended early");
          }
          k = 1;
        }
        n -= k;
      }
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder(64);
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          int n = sb.length();
          return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
        }
        sb.append((char) c);
        if (sb.length() > 65536) {
          throw new IOException("line too long");
        }
      }
      return sb.isEmpty() ? null : sb.toString();
    }
  }
}
