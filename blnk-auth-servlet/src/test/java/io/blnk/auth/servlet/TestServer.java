package io.blnk.auth.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.AuthListener;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.KeyStore;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real servlet container (Jetty 12, Tomcat 11 or Undertow 2.3) with the filter in front of an
 * echo servlet, and clients for it. The filter and both servlets are async-supported; the echo
 * servlet is mapped at {@code /} and at {@code /api/*}, with a multipart configuration.
 */
final class TestServer implements AutoCloseable {

  static final String MASTER = "Test-master-key-0123456789-abcdefghijKLMNOP";

  /** The containers every HTTP test runs on. */
  enum Container {
    JETTY,
    TOMCAT,
    UNDERTOW
  }

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

  final Container container;
  final Clock clock = new Clock();
  final KeyStore store;
  final BlnkAuth auth;
  final int port;
  final AtomicInteger servletHits = new AtomicInteger();
  /** What the application saw on the last request that reached it. */
  final AtomicReference<Map<String, Object>> lastSeen = new AtomicReference<>();
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AutoCloseable stopper;
  /** Undertow's own body limit ({@code UndertowOptions.MAX_ENTITY_SIZE}) in the next server built. */
  static volatile long undertowEntityLimit = 16L << 20;
  private final Path tmp;

  TestServer() throws Exception {
    this(Container.JETTY);
  }

  TestServer(Container container) throws Exception {
    this(container, true, b -> {}, f -> {});
  }

  TestServer(boolean secure, Consumer<BlnkAuth.Builder> authSettings, Consumer<BlnkAuthFilter.Builder> filterSettings)
      throws Exception {
    this(Container.JETTY, secure, authSettings, filterSettings);
  }

  TestServer(
      Container container,
      boolean secure,
      Consumer<BlnkAuth.Builder> authSettings,
      Consumer<BlnkAuthFilter.Builder> filterSettings)
      throws Exception {
    this(container, secure, authSettings, filterSettings, false, List.of());
  }

  TestServer(
      boolean secure,
      Consumer<BlnkAuth.Builder> authSettings,
      Consumer<BlnkAuthFilter.Builder> filterSettings,
      boolean laxUris)
      throws Exception {
    this(Container.JETTY, secure, authSettings, filterSettings, laxUris, List.of());
  }

  /**
   * @param laxUris whether Jetty accepts and decodes ambiguous URIs ({@code UriCompliance.UNSAFE}),
   *     standing in for a container that normalises carelessly (Jetty only)
   * @param after filters registered after the blnk-auth filter, in order (e.g. method overrides)
   */
  TestServer(
      Container container,
      boolean secure,
      Consumer<BlnkAuth.Builder> authSettings,
      Consumer<BlnkAuthFilter.Builder> filterSettings,
      boolean laxUris,
      List<Filter> after)
      throws Exception {
    this(container, secure, authSettings, filterSettings, laxUris, after, null, AuthListener.none());
  }

  /**
   * As above, on {@code hostStore} (null: a new in-memory store) with {@code listener}: each
   * builder option is set once, so {@code authSettings} cannot replace the server's own.
   */
  TestServer(
      Container container,
      boolean secure,
      Consumer<BlnkAuth.Builder> authSettings,
      Consumer<BlnkAuthFilter.Builder> filterSettings,
      boolean laxUris,
      List<Filter> after,
      KeyStore hostStore,
      AuthListener listener)
      throws Exception {
    this.container = container;
    this.store = hostStore != null ? hostStore : KeyStore.inMemory();
    BlnkAuth.Builder b =
        BlnkAuth.builder()
            .secure(secure)
            .store(store)
            .hasher(KeyHasher.hmacSha256(new byte[32]))
            .listener(listener)
            .clock(clock);
    if (secure) {
      b.masterKey(MASTER);
    }
    authSettings.accept(b);
    auth = b.build();
    BlnkAuthFilter.Builder fb = BlnkAuthFilter.builder(auth);
    filterSettings.accept(fb);
    List<Filter> filters = new ArrayList<>();
    filters.add(fb.build());
    filters.addAll(after);
    tmp = Files.createTempDirectory("blnk-test-" + container.name().toLowerCase());
    MultipartConfigElement multipart = new MultipartConfigElement(tmp.toString(), 16L << 20, 16L << 20, 1 << 20);
    Echo echo = new Echo();
    switch (container) {
      case JETTY -> {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        if (laxUris) {
          http.setUriCompliance(UriCompliance.UNSAFE);
        }
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        if (laxUris) {
          context.getServletHandler().setDecodeAmbiguousURIs(true);
        }
        for (Filter f : filters) {
          FilterHolder holder = new FilterHolder(f);
          holder.setAsyncSupported(true);
          context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        for (String mapping : List.of("/", "/api/*")) {
          ServletHolder holder = new ServletHolder(echo);
          holder.setAsyncSupported(true);
          holder.getRegistration().setMultipartConfig(multipart);
          context.addServlet(holder, mapping);
        }
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
        stopper = server::stop;
      }
      case TOMCAT -> {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(tmp.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", tmp.toString());
        int i = 0;
        for (Filter f : filters) {
          FilterDef def = new FilterDef();
          def.setFilterName("filter" + i);
          def.setFilter(f);
          def.setAsyncSupported("true");
          context.addFilterDef(def);
          FilterMap map = new FilterMap();
          map.setFilterName("filter" + i);
          map.addURLPattern("/*");
          map.setDispatcher(DispatcherType.REQUEST.name());
          context.addFilterMap(map);
          i++;
        }
        Wrapper wrapper = Tomcat.addServlet(context, "echo", echo);
        wrapper.setAsyncSupported(true);
        wrapper.setMultipartConfigElement(multipart);
        context.addServletMappingDecoded("/", "echo");
        context.addServletMappingDecoded("/api/*", "echo");
        tomcat.start();
        port = connector.getLocalPort();
        stopper = () -> {
          tomcat.stop();
          tomcat.destroy();
        };
      }
      case UNDERTOW -> {
        DeploymentInfo deployment =
            Servlets.deployment()
                .setClassLoader(TestServer.class.getClassLoader())
                .setContextPath("/")
                .setDeploymentName("test")
                .addServlet(
                    Servlets.servlet("echo", Echo.class, new ImmediateInstanceFactory<>(echo))
                        .addMappings("/", "/api/*")
                        .setAsyncSupported(true)
                        .setMultipartConfig(multipart));
        int i = 0;
        for (Filter f : filters) {
          deployment.addFilter(
              Servlets.filter("filter" + i, f.getClass(), new ImmediateInstanceFactory<>(f)).setAsyncSupported(true));
          deployment.addFilterUrlMapping("filter" + i, "/*", DispatcherType.REQUEST);
          i++;
        }
        DeploymentManager manager = Servlets.defaultContainer().addDeployment(deployment);
        manager.deploy();
        // Undertow refuses bodies over 2 MiB itself (a bare 413) unless told otherwise: raise its
        // limit above the filter's, as the README says a host must.
        Undertow undertow =
            Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, undertowEntityLimit)
                .setHandler(manager.start())
                .build();
        undertow.start();
        port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        stopper = () -> {
          undertow.stop();
          manager.stop();
          manager.undeploy();
        };
      }
      default -> throw new IllegalArgumentException(container.name());
    }
  }

  /**
   * Answers 200 with what it saw, as JSON: method, path, servlet path, principal, parameters,
   * parts, body. {@code ?async} answers from another thread through {@code startAsync}; {@code
   * ?reader} reads the body through {@code getReader}.
   */
  final class Echo extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      servletHits.incrementAndGet();
      if (req.getQueryString() != null && req.getQueryString().contains("async")) {
        AsyncContext async = req.startAsync();
        async.start(
            () -> {
              try {
                answer((HttpServletRequest) async.getRequest(), (HttpServletResponse) async.getResponse(), true);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              } finally {
                async.complete();
              }
            });
        return;
      }
      answer(req, resp, false);
    }

    private void answer(HttpServletRequest req, HttpServletResponse resp, boolean async) throws IOException {
      Map<String, Object> seen = new LinkedHashMap<>();
      seen.put("method", req.getMethod());
      String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
      seen.put("path", path);
      seen.put("servletPath", req.getServletPath());
      seen.put("async", async);
      seen.put("principal", req.getUserPrincipal() == null ? null : req.getUserPrincipal().getName());
      Object attribute = req.getAttribute(BlnkAuthFilter.PRINCIPAL_ATTRIBUTE);
      seen.put("attribute", attribute instanceof BlnkPrincipal p ? p.getName() : null);
      String type = req.getContentType() == null ? "" : req.getContentType().toLowerCase();
      String role = type.startsWith("multipart/") ? null : req.getParameter("role");
      if (role != null) {
        seen.put("inRole", req.isUserInRole(role));
      }
      seen.put("contentEncoding", req.getHeader("Content-Encoding"));
      seen.put("contentType", req.getContentType());
      if (type.startsWith("multipart/")) {
        List<String> parts = new ArrayList<>();
        try {
          for (Part part : req.getParts()) {
            byte[] bytes = part.getInputStream().readAllBytes();
            parts.add(part.getName() + ":" + bytes.length + ":" + sha256(bytes));
          }
        } catch (Exception e) {
          parts.add("error:" + e);
        }
        seen.put("parts", parts);
        seen.put("body", "");
        seen.put("bodyBase64", "");
      } else {
        Map<String, String> params = new LinkedHashMap<>();
        req.getParameterMap().forEach((k, v) -> params.put(k, java.util.Arrays.toString(v)));
        seen.put("params", params.toString());
        seen.put("contentLength", req.getContentLengthLong());
        seen.put("contentLengthHeader", req.getHeader("Content-Length"));
        byte[] body =
            req.getQueryString() != null && req.getQueryString().contains("reader")
                ? new String(req.getReader().lines().reduce((a, b) -> a + "\n" + b).orElse("").toCharArray())
                    .getBytes(StandardCharsets.UTF_8)
                : req.getInputStream().readAllBytes();
        seen.put("body", new String(body, StandardCharsets.UTF_8));
        seen.put("bodyBase64", java.util.Base64.getEncoder().encodeToString(body));
        seen.put("bodyBytes", body.length);
      }
      lastSeen.set(seen);
      byte[] out = Json.bytes(seen);
      resp.setStatus(200);
      resp.setContentType("application/json");
      resp.setContentLength(out.length);
      resp.getOutputStream().write(out);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What the application read as the body of the last request that reached it, as bytes. */
  byte[] lastBody() {
    return java.util.Base64.getDecoder().decode((String) lastSeen.get().get("bodyBase64"));
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
    return send(r.build());
  }

  /**
   * Sends a request, once more on a fresh connection if a pooled one turns out closed (a server
   * may close the connection after refusing a body it did not read).
   */
  HttpResponse<String> send(HttpRequest request) throws Exception {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
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
            CreateKeyRequest.builder().name("test key").owner(owner).scopes(scopes).expiresAt(expires).build()).orElseThrow();
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
      stopper.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      auth.close();
    }
  }

  @Override
  public String toString() {
    return container.name();
  }
}
