package io.tollgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A forward HTTP proxy on a loopback socket that records each request it forwarded: an absolute-form request
 * (plain HTTP) is sent on with its path only; a CONNECT opens a tunnel. Each record is the request line plus the
 * Proxy-Authorization header it came with, if any.
 */
public final class CountingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "counting-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Queue<String> forwarded = new ConcurrentLinkedQueue<>();

  private CountingProxy(ServerSocket server) {
    this.server = server;
  }

  public static CountingProxy start() throws IOException {
    CountingProxy proxy = new CountingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    proxy.threads.execute(proxy::accept);
    return proxy;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** What was forwarded so far ("POST http://localhost:1234/v1/chat/completions [Basic ...]"), then forgets it. */
  public java.util.List<String> takeForwarded() {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String s; (s = forwarded.poll()) != null; ) {
      out.add(s);
    }
    return out;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      String head = readHead(in);
      String[] lines = head.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      String auth = "";
      StringBuilder rest = new StringBuilder();
      for (int i = 1; i < lines.length; i++) {
        if (lines[i].regionMatches(true, 0, "Proxy-Authorization:", 0, 20)) {
          auth = " [" + lines[i].substring(20).trim() + "]";
        } else if (!lines[i].regionMatches(true, 0, "Proxy-Connection:", 0, 17)) {
          rest.append(lines[i]).append("\r\n");
        }
      }
      forwarded.add(requestLine[0] + " " + requestLine[1] + auth);
      if (requestLine[0].equals("CONNECT")) {
        String[] target = requestLine[1].split(":");
        try (Socket upstream = new Socket(target[0], Integer.parseInt(target[1]))) {
          client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          pipe(client, upstream, in);
        }
        return;
      }
      URI uri = URI.create(requestLine[1]);
      try (Socket upstream = new Socket(uri.getHost(), uri.getPort())) {
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        upstream.getOutputStream().write((requestLine[0] + " " + path + " " + requestLine[2] + "\r\n" + rest
            + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        pipe(client, upstream, in);
      }
    } catch (IOException | RuntimeException e) {
      // the client or the upstream went away
    }
  }

  /** Bytes both ways until the upstream closes (the fake upstreams close after each answer). */
  private void pipe(Socket client, Socket upstream, InputStream clientIn) throws IOException {
    threads.execute(() -> copy(clientIn, out(upstream)));
    copy(upstream.getInputStream(), client.getOutputStream());
  }

  private static OutputStream out(Socket s) {
    try {
      return s.getOutputStream();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copy(InputStream in, OutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // one side closed
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the request head ended");
      }
      head.write(b);
      matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
