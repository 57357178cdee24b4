package io.blnk.auth.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.AuthListener;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.KeyStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A real Jetty 12 with the filter in front of an echo servlet, and clients for it. */
final class TestServer implements AutoCloseable {

  static final String MASTER = "Test-master-key-0123456789-abcdefghijKLMNOP";

  /** A clock tests move by hand. */
  static final class Clock implements InstantSource {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }
  }

  final Clock clock = new Clock();
  final KeyStore store = KeyStore.inMemory();
  final BlnkAuth auth;
  final Server server;
  final int port;
  final AtomicInteger servletHits = new AtomicInteger();
  /** What the application saw on the last request that reached it. */
  final AtomicReference<Map<String, Object>> lastSeen = new AtomicReference<>();
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  TestServer() throws Exception {
    this(true, b -> {}, f -> {});
  }

  TestServer(boolean secure, Consumer<BlnkAuth.Builder> authSettings, Consumer<BlnkAuthFilter.Builder> filterSettings)
      throws Exception {
    BlnkAuth.Builder b =
        BlnkAuth.builder()
            .secure(secure)
            .store(store)
            .hasher(KeyHasher.hmacSha256(new byte[32]))
            .listener(AuthListener.none())
            .clock(clock);
    if (secure) {
      b.masterKey(MASTER);
    }
    authSettings.accept(b);
    auth = b.build();
    BlnkAuthFilter.Builder fb = BlnkAuthFilter.builder(auth);
    filterSettings.accept(fb);
    server = new Server();
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(new FilterHolder(fb.build()), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new Echo()), "/");
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
  }

  /** Answers 200 with what it saw, as JSON. */
  final class Echo extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      servletHits.incrementAndGet();
      Map<String, Object> seen = new LinkedHashMap<>();
      seen.put("method", req.getMethod());
      String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
      seen.put("path", path);
      seen.put("principal", req.getUserPrincipal() == null ? null : req.getUserPrincipal().getName());
      Object attribute = req.getAttribute(BlnkAuthFilter.PRINCIPAL_ATTRIBUTE);
      seen.put("attribute", attribute instanceof BlnkPrincipal p ? p.getName() : null);
      String role = req.getParameter("role");
      if (role != null) {
        seen.put("inRole", req.isUserInRole(role));
      }
      seen.put("contentLength", req.getContentLengthLong());
      seen.put("contentLengthHeader", req.getHeader("Content-Length"));
      byte[] body = req.getInputStream().readAllBytes();
      seen.put("body", new String(body, StandardCharsets.UTF_8));
      seen.put("bodyBytes", body.length);
      lastSeen.set(seen);
      byte[] out = Json.bytes(seen);
      resp.setStatus(200);
      resp.setContentType("application/json");
      resp.setContentLength(out.length);
      resp.getOutputStream().write(out);
    }
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(uri(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      r.header("X-Blnk-Key", key);
    }
    if (body != null) {
      r.header("Content-Type", "application/json");
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String key) throws Exception {
    return send("GET", path, key, null);
  }

  HttpResponse<String> post(String path, String key, String body) throws Exception {
    return send("POST", path, key, body);
  }

  /** A key made directly through the key service as the master key. */
  CreatedKey createKey(String owner, Instant expires, String... scopes) {
    return auth.keys()
        .create(
            BlnkPrincipal.master(),
            CreateKeyRequest.builder().name("test key").owner(owner).scopes(scopes).expiresAt(expires).build());
  }

  CreatedKey createKey(String owner, String... scopes) {
    return createKey(owner, clock.instant().plus(Duration.ofDays(30)), scopes);
  }

  static String key(CreatedKey k) {
    return k.plaintext().reveal();
  }

  static JsonNode json(String body) throws IOException {
    return Json.MAPPER.readTree(body);
  }

  /** Sends raw bytes on a new connection and returns the status code of the response (or -1). */
  int raw(String requestLine, String... headers) throws IOException {
    return rawResponse(requestLine, headers).status();
  }

  record Raw(int status, String text) {}

  Raw rawResponse(String requestLine, String... headers) throws IOException {
    StringBuilder s = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (String h : headers) {
      s.append(h).append("\r\n");
    }
    s.append("\r\n");
    return rawBytes(s.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  Raw rawBytes(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      if (!text.startsWith("HTTP/1.1 ")) {
        return new Raw(-1, text);
      }
      return new Raw(Integer.parseInt(text.substring(9, 12)), text);
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    auth.close();
  }
}
