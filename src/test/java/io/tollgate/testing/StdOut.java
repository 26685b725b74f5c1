package io.tollgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** What a server start printed on System.out, which still reaches the real stdout too. */
public record StdOut(GatewayServer server, String text) {

  public static StdOut capture(Supplier<GatewayServer> start) {
    PrintStream original = System.out;
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8));
    try {
      GatewayServer started = start.get();
      return new StdOut(started, copy.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
    }
  }
}
