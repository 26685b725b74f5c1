package io.tollgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a loopback port in front of a database server (by default the shared PostgreSQL at
 * 127.0.0.1:5432), which a test switches between three states, so an outage hits only the gateway behind it:
 * <ul>
 * <li>{@link #forward()}: bytes pass both ways;</li>
 * <li>{@link #refuse()}: the port is closed (new connections are refused) and every open connection is reset;</li>
 * <li>{@link #hang()}: connections are accepted and kept, but no byte moves either way until {@link #forward()}
 * (bytes already read are held, not lost: a stalled network, not a broken one).</li>
 * </ul>
 * At most {@link #MAX_THREADS} threads (two per connection); a connection beyond that is closed at once.
 */
public final class DatabaseProxy implements AutoCloseable {
  static final int MAX_THREADS = 96;

  private enum Mode { FORWARD, REFUSE, HANG }

  private final InetSocketAddress target;
  private final int port;
  private final Object gate = new Object();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final ThreadPoolExecutor threads;
  private Mode mode = Mode.FORWARD; // guarded by gate
  private ServerSocket listener; // guarded by gate
  private boolean closed; // guarded by gate

  private DatabaseProxy(InetSocketAddress target, ServerSocket listener) {
    this.target = target;
    this.listener = listener;
    this.port = listener.getLocalPort();
    AtomicInteger n = new AtomicInteger();
    this.threads = new ThreadPoolExecutor(0, MAX_THREADS, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "database-proxy-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** In front of the test PostgreSQL server on 127.0.0.1:5432. */
  public static DatabaseProxy start() {
    return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5432));
  }

  public static DatabaseProxy start(InetSocketAddress target) {
    try {
      DatabaseProxy proxy = new DatabaseProxy(target, listen(0));
      proxy.acceptOn(proxy.listener);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the database proxy's port", e);
    }
  }

  public int port() {
    return port;
  }

  /** {@code url} (a jdbc:postgresql: URL) with its host and port replaced by this proxy's. */
  public String jdbcUrl(String url) {
    return url.replaceFirst("//[^/?]+", "//127.0.0.1:" + port);
  }

  /** Connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  /** Lets bytes through again; after {@link #refuse()}, listens again on the same port. */
  public void forward() {
    synchronized (gate) {
      if (mode == Mode.REFUSE && !closed) {
        try {
          listener = listen(port);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot listen again on port " + port, e);
        }
        acceptOn(listener);
      }
      mode = Mode.FORWARD;
      gate.notifyAll();
    }
  }

  /** Closes the port and resets every open connection, as a database server that went down would. */
  public void refuse() {
    synchronized (gate) {
      mode = Mode.REFUSE;
      closeQuietly(listener);
      gate.notifyAll();
    }
    open.forEach(DatabaseProxy::reset);
  }

  /** Keeps every connection (and accepts new ones) but moves no more bytes, as a database that hangs would. */
  public void hang() {
    synchronized (gate) {
      mode = Mode.HANG;
    }
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true); // to take the same port again after refuse()
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    return s;
  }

  private void acceptOn(ServerSocket server) {
    Thread t = new Thread(() -> acceptLoop(server), "database-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  private void acceptLoop(ServerSocket server) {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      open.add(client);
      try {
        threads.execute(() -> serve(client));
      } catch (RejectedExecutionException full) {
        reset(client);
      }
    }
  }

  private void serve(Socket client) {
    Socket server = new Socket();
    open.add(server);
    try {
      if (!awaitForward()) {
        return;
      }
      server.connect(target, 5000);
      InputStream fromServer = server.getInputStream();
      OutputStream toServer = server.getOutputStream();
      try {
        threads.execute(() -> copy(fromServer, client, server));
      } catch (RejectedExecutionException full) {
        return;
      }
      copy(client.getInputStream(), server, client);
    } catch (IOException e) {
      // refused, reset or closed: ends this connection
    } finally {
      reset(client);
      closeQuietly(server);
      open.remove(client);
      open.remove(server);
    }
  }

  /** Copies until either side ends; waits at the gate before each read and each write while hanging. */
  private void copy(InputStream in, Socket to, Socket from) {
    byte[] buffer = new byte[16 * 1024];
    try {
      OutputStream out = to.getOutputStream();
      while (awaitForward()) {
        int n = in.read(buffer);
        if (n < 0 || !awaitForward()) {
          break;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away
    } finally {
      closeQuietly(to);
      closeQuietly(from);
    }
  }

  /** Waits while hanging; false once refusing or closed. */
  private boolean awaitForward() {
    synchronized (gate) {
      while (mode == Mode.HANG && !closed) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return mode == Mode.FORWARD && !closed;
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // an RST, not a FIN: what a crashed server's peer sees
    } catch (IOException e) {
      // already closed
    }
    closeQuietly(s);
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (IOException e) {
      // nothing left to do
    }
  }

  @Override
  public void close() {
    synchronized (gate) {
      closed = true;
      closeQuietly(listener);
      gate.notifyAll();
    }
    open.forEach(DatabaseProxy::reset);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
