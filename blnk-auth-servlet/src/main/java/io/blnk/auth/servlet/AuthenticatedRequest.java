package io.blnk.auth.servlet;

import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.scope.Scope;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A granted request as the application sees it: the principal through {@code getUserPrincipal},
 * {@code getRemoteUser} and {@code isUserInRole("resource:action")}, and, when the filter read the
 * body, that body (tagged or not) with a matching {@code Content-Length}. Parameters, parts and
 * everything else come from the container: the filter never reads a form or multipart body.
 *
 * <p>Like any request, not thread-safe.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

  static final String AUTH_TYPE = "X-Blnk-Key";

  private final BlnkPrincipal principal;
  private final byte[] body;

  private final ServletResponse response;

  /**
   * @param response the response, which {@link #startAsync()} pairs with this request
   * @param body the body to expose, or null to leave the container's
   */
  AuthenticatedRequest(HttpServletRequest request, ServletResponse response, BlnkPrincipal principal, byte[] body) {
    super(request);
    this.response = response;
    this.principal = principal;
    this.body = body;
  }

  /**
   * Starts asynchronous processing with this request (not the container's), so that threads
   * finishing the request through {@link AsyncContext#getRequest()} still see the principal and
   * the body the filter passed on.
   */
  @Override
  public AsyncContext startAsync() {
    return super.startAsync(this, response);
  }


  /** Whether the filter read the body (then it was bounded when read, and this serves it). */
  boolean bodyRead() {
    return body != null;
  }

  @Override
  public Principal getUserPrincipal() {
    return principal;
  }

  @Override
  public String getRemoteUser() {
    return principal.getName();
  }

  @Override
  public String getAuthType() {
    return AUTH_TYPE;
  }

  /**
   * Whether the key's scopes cover {@code role} read as a scope, e.g. {@code "ledgers:read"}; false
   * for anything that is not a valid scope.
   */
  @Override
  public boolean isUserInRole(String role) {
    if (role == null) {
      return false;
    }
    try {
      return principal.covers(Scope.parse(role));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    return body == null ? super.getInputStream() : new BodyStream(body);
  }

  @Override
  public BufferedReader getReader() throws IOException {
    if (body == null) {
      return super.getReader();
    }
    String encoding = getCharacterEncoding();
    Charset charset;
    try {
      charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
    } catch (IllegalArgumentException e) {
      throw new UnsupportedEncodingException(encoding);
    }
    return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
  }

  @Override
  public int getContentLength() {
    return body == null ? super.getContentLength() : body.length;
  }

  @Override
  public long getContentLengthLong() {
    return body == null ? super.getContentLengthLong() : body.length;
  }

  @Override
  public String getHeader(String name) {
    if (body != null && name != null) {
      if (name.equalsIgnoreCase("Content-Length")) {
        return Integer.toString(body.length);
      }
      if (name.equalsIgnoreCase("Transfer-Encoding")) {
        return null;
      }
    }
    return super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    if (body != null && name != null) {
      if (name.equalsIgnoreCase("Content-Length")) {
        return Collections.enumeration(List.of(Integer.toString(body.length)));
      }
      if (name.equalsIgnoreCase("Transfer-Encoding")) {
        return Collections.emptyEnumeration();
      }
    }
    return super.getHeaders(name);
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    if (body == null) {
      return super.getHeaderNames();
    }
    List<String> names = new ArrayList<>();
    boolean length = false;
    for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements(); ) {
      String n = e.nextElement();
      if (n.equalsIgnoreCase("Transfer-Encoding")) {
        continue;
      }
      length |= n.equalsIgnoreCase("Content-Length");
      names.add(n);
    }
    if (!length) {
      names.add("Content-Length");
    }
    return Collections.enumeration(names);
  }

  @Override
  public int getIntHeader(String name) {
    if (body != null && name != null && name.equalsIgnoreCase("Content-Length")) {
      return body.length;
    }
    return super.getIntHeader(name);
  }

  /** A replayed body. */
  private static final class BodyStream extends ServletInputStream {
    private final ByteArrayInputStream in;

    BodyStream(byte[] body) {
      this.in = new ByteArrayInputStream(body);
    }

    @Override
    public boolean isFinished() {
      return in.available() == 0;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setReadListener(ReadListener listener) {
      try {
        if (!isFinished()) {
          listener.onDataAvailable();
        }
        listener.onAllDataRead();
      } catch (IOException e) {
        listener.onError(e);
      }
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, len);
    }

    @Override
    public int available() {
      return in.available();
    }
  }
}
