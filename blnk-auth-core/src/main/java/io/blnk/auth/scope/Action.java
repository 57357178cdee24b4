package io.blnk.auth.scope;

import java.util.Objects;
import java.util.Optional;

/**
 * What a request does to a resource. The three concrete actions of a scope; {@code *} is not an
 * action but a wildcard in {@link Scope}.
 */
public enum Action {
  /** View operations: {@code GET} and {@code HEAD}. */
  READ("read"),
  /** Modify operations: {@code POST}, {@code PUT} and {@code PATCH}. */
  WRITE("write"),
  /** Delete operations: {@code DELETE}. */
  DELETE("delete");

  private final String token;

  Action(String token) {
    this.token = token;
  }

  /**
   * The lowercase name used in scopes.
   *
   * @return the token, e.g. {@code "read"}
   */
  public String token() {
    return token;
  }

  /** One bit per action, used by {@link CompiledScopes}. */
  int bit() {
    return 1 << ordinal();
  }

  /**
   * The action a HTTP method performs: {@code GET}/{@code HEAD} read, {@code POST}/{@code PUT}/
   * {@code PATCH} write, {@code DELETE} delete. Method names are case-sensitive, as in HTTP.
   * Allocation-free.
   *
   * @param method the request's HTTP method, e.g. {@code "GET"}
   * @return the action, or empty for any other method (which no scope covers)
   * @throws NullPointerException if {@code method} is null
   */
  public static Optional<Action> forHttpMethod(String method) {
    Objects.requireNonNull(method, "method");
    switch (method) {
      case "GET":
      case "HEAD":
        return READ_ACTION;
      case "POST":
      case "PUT":
      case "PATCH":
        return WRITE_ACTION;
      case "DELETE":
        return DELETE_ACTION;
      default:
        return Optional.empty();
    }
  }

  /**
   * The action named by a scope token.
   *
   * @param token the token, e.g. {@code "write"}
   * @return the action, or empty if {@code token} is not exactly one of {@code read}, {@code
   *     write}, {@code delete}
   * @throws NullPointerException if {@code token} is null
   */
  public static Optional<Action> fromToken(String token) {
    Objects.requireNonNull(token, "token");
    for (Action action : values()) {
      if (action.token.equals(token)) {
        return Optional.of(action);
      }
    }
    return Optional.empty();
  }

  // Shared instances keep the request path free of allocation.
  private static final Optional<Action> READ_ACTION = Optional.of(READ);
  private static final Optional<Action> WRITE_ACTION = Optional.of(WRITE);
  private static final Optional<Action> DELETE_ACTION = Optional.of(DELETE);
}
