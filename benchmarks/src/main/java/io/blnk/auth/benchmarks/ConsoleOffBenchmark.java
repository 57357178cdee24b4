package io.blnk.auth.benchmarks;

import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.servlet.BlnkAuthFilter;
import io.blnk.auth.store.KeyStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 15: the key-management console adds nothing to the request path when it is off. One
 * granted {@code GET /ledgers} with a cached scoped key through the whole filter, with the console
 * off (the default) and on, beside the core's cached decision measured in the same run. The
 * request and response are minimal stand-ins (identical for both filters), so the figures are the
 * filter's own work plus that constant.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConsoleOffBenchmark {

  private BlnkAuth auth;
  private String key;
  private Optional<Resource> ledgers;
  private BlnkAuthFilter consoleOff;
  private BlnkAuthFilter consoleOn;
  private HttpServletRequest request;
  private HttpServletResponse response;

  /** Counts what reaches the application, so the work cannot be skipped. */
  private static final class Chain implements FilterChain {
    Blackhole hole;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response) {
      hole.consume(request);
    }
  }

  private final Chain chain = new Chain();

  @Setup
  public void setUp(Blackhole hole) throws Exception {
    auth = Fixtures.builder(KeyStore.inMemory(), Fixtures.hmac()).build();
    key = Fixtures.createKey(auth, Fixtures.FIVE_SCOPES);
    ledgers = auth.registry().find("ledgers");
    consoleOff = BlnkAuthFilter.builder(auth).build();
    consoleOn = BlnkAuthFilter.builder(auth).console(true).build();
    request = request("/ledgers", key);
    response = response();
    chain.hole = hole;
    Fixtures.requireGranted(auth.decide(key, ledgers, "GET", ""), "the warm-up request");
    int[] reached = new int[1];
    FilterChain counting = (req, res) -> reached[0]++;
    consoleOff.doFilter(request, response, counting);
    consoleOn.doFilter(request, response, counting);
    Fixtures.require(reached[0] == 2, "both filters grant GET /ledgers");
  }

  @TearDown
  public void tearDown() {
    auth.close();
  }

  /** The core's cached decision: the figure RequestPathBenchmark reports. */
  @Benchmark
  public AuthResult cachedDecision() {
    return auth.decide(key, ledgers, "GET", "");
  }

  /** The whole filter, console off (the default). */
  @Benchmark
  public void filterConsoleOff() throws Exception {
    consoleOff.doFilter(request, response, chain);
  }

  /** The whole filter, console on, for a request that is not the console's. */
  @Benchmark
  public void filterConsoleOn() throws Exception {
    consoleOn.doFilter(request, response, chain);
  }

  private static HttpServletRequest request(String path, String key) {
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            HttpServletRequest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "getDispatcherType":
                  return DispatcherType.REQUEST;
                case "getServletPath":
                case "getRequestURI":
                  return path;
                case "getPathInfo":
                case "getQueryString":
                  return null;
                case "getContextPath":
                  return "";
                case "getRemoteAddr":
                  return "";
                case "getMethod":
                  return "GET";
                case "getHeaders":
                  // Only X-Blnk-Key is present (not, say, a method-override header).
                  return Collections.enumeration(
                      "X-Blnk-Key".equalsIgnoreCase((String) args[0]) ? List.of(key) : List.<String>of());
                case "getHeader":
                  return "X-Blnk-Key".equalsIgnoreCase((String) args[0]) ? key : null;
                case "getContentLengthLong":
                  return -1L;
                case "getProtocol":
                  return "HTTP/1.1";
                case "getContentType":
                case "getCharacterEncoding":
                  return null;
                case "getHttpServletMapping":
                  return null;
                case "setAttribute":
                case "removeAttribute":
                  return null;
                case "getAttribute":
                  return null;
                case "hashCode":
                  return System.identityHashCode(proxy);
                case "equals":
                  return proxy == args[0];
                case "toString":
                  return "request " + path;
                default:
                  throw new UnsupportedOperationException(method.getName());
              }
            });
  }

  private static HttpServletResponse response() {
    return (HttpServletResponse)
        Proxy.newProxyInstance(
            HttpServletResponse.class.getClassLoader(),
            new Class<?>[] {HttpServletResponse.class},
            (proxy, method, args) -> {
              // The body limit asks whether the application answered; nothing else is touched.
              if (method.getName().equals("isCommitted")) {
                return true;
              }
              throw new UnsupportedOperationException("a granted request writes no response: " + method.getName());
            });
  }
}
