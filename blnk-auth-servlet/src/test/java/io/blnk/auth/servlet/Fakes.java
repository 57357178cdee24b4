package io.blnk.auth.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hand-written stand-ins for the few request, response and configuration methods the gate, the
 * body policy, the error writer and the settings call, for testing each on its own (the HTTP
 * suite runs them in real containers). Any other method throws.
 */
final class Fakes {

  private Fakes() {}

  /** A request: set the fields, then {@link #build()}. */
  static final class Request {
    String method = "GET";
    String uri = "/";
    String contextPath = "";
    String servletPath = "/";
    String pathInfo;
    MappingMatch match = MappingMatch.DEFAULT;
    String query;
    String contentType;
    String characterEncoding;
    long contentLength = -1;
    String protocol = "HTTP/1.1";
    String remoteAddr = "127.0.0.1";
    DispatcherType dispatcher = DispatcherType.REQUEST;
    byte[] body = new byte[0];
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    final Map<String, String[]> parameters = new LinkedHashMap<>();
    final Map<String, Object> attributes = new LinkedHashMap<>();
    int bodyReads;
    /** The arguments of the last {@code startAsync(request, response)}. */
    Object[] asyncArguments;

    Request path(String method, String path) {
      this.method = method;
      this.uri = path;
      this.servletPath = path;
      return this;
    }

    Request query(String query) {
      this.query = query;
      return this;
    }

    Request header(String name, String value) {
      headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
      return this;
    }

    Request body(String type, byte[] bytes) {
      this.contentType = type;
      this.body = bytes;
      this.contentLength = bytes.length;
      return this;
    }

    HttpServletRequest build() {
      return (HttpServletRequest)
          Proxy.newProxyInstance(
              Fakes.class.getClassLoader(),
              new Class<?>[] {HttpServletRequest.class},
              (proxy, m, args) ->
                  switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> uri;
                    case "getContextPath" -> contextPath;
                    case "getServletPath" -> servletPath;
                    case "getPathInfo" -> pathInfo;
                    case "getQueryString" -> query;
                    case "getContentType" -> contentType;
                    case "getCharacterEncoding" -> characterEncoding;
                    case "getContentLengthLong" -> contentLength;
                    case "getContentLength" -> (int) contentLength;
                    case "getProtocol" -> protocol;
                    case "getRemoteAddr" -> remoteAddr;
                    case "getDispatcherType" -> dispatcher;
                    case "getHeader" -> {
                      List<String> v =
                          args[0] == null ? null : headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
                      yield v == null ? null : v.get(0);
                    }
                    case "getHeaders" -> Collections.enumeration(
                        headers.getOrDefault(((String) args[0]).toLowerCase(Locale.ROOT), List.of()));
                    case "getHeaderNames" -> Collections.enumeration(new ArrayList<>(headers.keySet()));
                    case "getIntHeader" -> {
                      List<String> v = headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
                      yield v == null ? -1 : Integer.parseInt(v.get(0));
                    }
                    case "getReader" -> new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                            new ByteArrayInputStream(body), java.nio.charset.StandardCharsets.ISO_8859_1));
                    case "startAsync" -> {
                      asyncArguments = args;
                      yield ASYNC;
                    }
                    case "getParameterValues" -> parameters.get((String) args[0]);
                    case "getHttpServletMapping" -> mapping();
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> {
                      attributes.put((String) args[0], args[1]);
                      yield null;
                    }
                    case "getInputStream" -> {
                      bodyReads++;
                      yield stream(body);
                    }
                    case "toString" -> method + " " + uri;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                  });
    }

    private HttpServletMapping mapping() {
      return new HttpServletMapping() {
        @Override
        public String getMatchValue() {
          return "";
        }

        @Override
        public String getPattern() {
          return match == MappingMatch.PATH ? servletPath + "/*" : "/";
        }

        @Override
        public String getServletName() {
          return "s";
        }

        @Override
        public MappingMatch getMappingMatch() {
          return match;
        }
      };
    }
  }

  /** What every fake request's {@code startAsync} returns. */
  static final jakarta.servlet.AsyncContext ASYNC =
      (jakarta.servlet.AsyncContext)
          Proxy.newProxyInstance(
              Fakes.class.getClassLoader(),
              new Class<?>[] {jakarta.servlet.AsyncContext.class},
              (proxy, m, args) -> {
                throw new UnsupportedOperationException(m.getName());
              });

  static ServletInputStream stream(byte[] bytes) {
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    return new ServletInputStream() {
      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener l) {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read() {
        return in.read();
      }
    };
  }

  /** A response recording status, headers and body. */
  static final class Response {
    int status = 200;
    boolean committed;
    final Map<String, String> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    int resets;

    HttpServletResponse build() {
      return (HttpServletResponse)
          Proxy.newProxyInstance(
              Fakes.class.getClassLoader(),
              new Class<?>[] {HttpServletResponse.class},
              (proxy, m, args) -> {
                switch (m.getName()) {
                  case "isCommitted":
                    return committed;
                  case "reset":
                    resets++;
                    headers.clear();
                    body.reset();
                    return null;
                  case "setStatus":
                    status = (Integer) args[0];
                    return null;
                  case "setHeader":
                    headers.put((String) args[0], (String) args[1]);
                    return null;
                  case "setContentType":
                    headers.put("Content-Type", (String) args[0]);
                    return null;
                  case "setContentLength":
                    headers.put("Content-Length", String.valueOf(args[0]));
                    return null;
                  case "flushBuffer":
                    committed = true;
                    return null;
                  case "getOutputStream":
                    return new ServletOutputStream() {
                      @Override
                      public boolean isReady() {
                        return true;
                      }

                      @Override
                      public void setWriteListener(WriteListener l) {}

                      @Override
                      public void write(int b) {
                        body.write(b);
                      }
                    };
                  default:
                    throw new UnsupportedOperationException(m.getName());
                }
              });
    }
  }

  /** A filter configuration with these init parameters and no servlet context. */
  static FilterConfig config(Map<String, String> params) {
    return (FilterConfig)
        Proxy.newProxyInstance(
            Fakes.class.getClassLoader(),
            new Class<?>[] {FilterConfig.class},
            (proxy, m, args) ->
                switch (m.getName()) {
                  case "getInitParameter" -> params.get((String) args[0]);
                  case "getInitParameterNames" -> Collections.enumeration(params.keySet());
                  case "getFilterName" -> "blnk-auth";
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }
}
