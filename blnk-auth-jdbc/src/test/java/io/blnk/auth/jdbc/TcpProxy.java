package io.blnk.auth.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a real server, on a free local port, that a test can blackhole: while
 * blackholed, bytes stop flowing both ways on every connection and new connections are accepted
 * but never answered, as when a database host vanishes from the network. {@link #restore()}
 * drops the stalled connections and lets new ones through again. Thread-safe.
 */
final class TcpProxy implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean blackholed;
  private volatile boolean closed;

  TcpProxy(String host, int port) throws IOException {
    this.target = new InetSocketAddress(host, port);
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Stops every byte: existing connections stall, new ones hang after the TCP handshake. */
  void blackhole() {
    blackholed = true;
  }

  /** Drops the stalled connections (as a host that comes back resets them) and forwards again. */
  void restore() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
    blackholed = false;
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        if (blackholed) {
          continue; // accepted, never answered
        }
        Socket upstream = new Socket();
        upstream.connect(target, 3_000);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  while (blackholed && !from.isClosed()) {
                    Thread.sleep(5); // the bytes are held, never delivered
                  }
                  if (from.isClosed()) {
                    return;
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // Connection gone.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    restore();
  }
}
