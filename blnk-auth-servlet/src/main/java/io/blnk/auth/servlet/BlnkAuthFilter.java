package io.blnk.auth.servlet;

import io.blnk.auth.BlnkAuth;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;

/**
 * The one filter a host registers: authenticates {@code X-Blnk-Key}, authorizes the request's
 * resource and action, serves {@code /api-keys}, tags {@code BLNK_GENERATED_BY}.
 *
 * <p>API skeleton agreed between modules; the implementation lands with the servlet issue.
 */
public final class BlnkAuthFilter implements Filter {

  /** The request attribute holding the {@link io.blnk.auth.BlnkPrincipal} of a granted request. */
  public static final String PRINCIPAL_ATTRIBUTE = "io.blnk.auth.principal";

  /** For {@code web.xml}: configured from init parameters in {@code init}. */
  public BlnkAuthFilter() {}

  private BlnkAuthFilter(Builder b) {}

  /** A builder for a filter in code, around a built {@link BlnkAuth}. */
  public static Builder builder(BlnkAuth auth) {
    return new Builder(auth);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    throw new UnsupportedOperationException("BlnkAuthFilter is not implemented yet");
  }

  /** Configures a {@link BlnkAuthFilter}. */
  public static final class Builder {
    private final BlnkAuth auth;

    private Builder(BlnkAuth auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** Paths that pass without a key. Default {@code /} and {@code /health}. */
    public Builder publicPaths(Set<String> paths) {
      return this;
    }

    /** Maps a first path segment to a resource, e.g. {@code route("mocked-account", "accounts")}. */
    public Builder route(String firstSegment, String resource) {
      return this;
    }

    /** The largest request body read for tagging; larger answers 413. Default 5 MiB. */
    public Builder maxBodyBytes(long bytes) {
      return this;
    }

    /** The filter. */
    public BlnkAuthFilter build() {
      return new BlnkAuthFilter(this);
    }
  }
}
