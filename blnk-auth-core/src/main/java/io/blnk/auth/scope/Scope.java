package io.blnk.auth.scope;

import io.blnk.auth.internal.Messages;
import java.util.Objects;

/**
 * One permission in {@code resource:action} form, such as {@code ledgers:read}, {@code
 * transactions:*} or {@code *:*}.
 *
 * <p>The grammar is strict and case-sensitive:
 *
 * <pre>
 * scope    = resource ":" action
 * resource = "*" | name
 * action   = "*" | "read" | "write" | "delete"
 * name     = [a-z0-9]+ ("-" [a-z0-9]+)*
 * </pre>
 *
 * <p>{@link #toString()} is canonical: {@code Scope.parse(s.toString()).equals(s)} always holds.
 * Whether the resource exists is a question for a {@link ResourceRegistry}, not for the grammar.
 * Instances are immutable and thread-safe.
 *
 * @param resource the resource name, or {@code "*"} for every resource
 * @param action the action token, or {@code "*"} for every action
 */
public record Scope(String resource, String action) {

  /** The wildcard that stands for every resource or every action. */
  public static final String WILDCARD = "*";

  /** The scope that covers everything. */
  public static final Scope ALL = new Scope(WILDCARD, WILDCARD);

  /**
   * Validates both parts against the grammar.
   *
   * @param resource the resource name, or {@code "*"}
   * @param action the action token, or {@code "*"}
   * @throws NullPointerException if either part is null
   * @throws IllegalArgumentException if either part breaks the grammar; the message names it
   */
  public Scope {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(action, "action");
    if (!isResourceToken(resource)) {
      throw new IllegalArgumentException(
          "invalid scope resource " + quote(resource) + ": expected * or [a-z0-9]+(-[a-z0-9]+)*");
    }
    if (!isActionToken(action)) {
      throw new IllegalArgumentException(
          "invalid scope action " + quote(action) + ": expected one of *, read, write, delete");
    }
  }

  /**
   * Parses a scope in its canonical form.
   *
   * @param text the scope, e.g. {@code "ledgers:read"}
   * @return the scope; its {@link #toString()} equals {@code text}
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if {@code text} is not {@code resource:action} with exactly
   *     one colon, no whitespace and valid parts; the message quotes the input
   */
  public static Scope parse(String text) {
    Objects.requireNonNull(text, "text");
    int colon = text.indexOf(':');
    if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException(
          "invalid scope " + quote(text) + ": expected resource:action with exactly one colon");
    }
    String resource = text.substring(0, colon);
    String action = text.substring(colon + 1);
    if (!isResourceToken(resource) || !isActionToken(action)) {
      throw new IllegalArgumentException(
          "invalid scope "
              + quote(text)
              + ": resource must be * or [a-z0-9]+(-[a-z0-9]+)*, action one of *, read, write,"
              + " delete");
    }
    return new Scope(resource, action);
  }

  /**
   * A scope for one concrete resource and action.
   *
   * @param resource the resource name (not the wildcard)
   * @param action the action
   * @return {@code resource:action}
   * @throws NullPointerException if either argument is null
   * @throws IllegalArgumentException if {@code resource} breaks the grammar
   */
  public static Scope of(String resource, Action action) {
    return new Scope(resource, action.token());
  }

  /**
   * Whether this scope's resource part is the wildcard.
   *
   * @return true for {@code *:...}
   */
  public boolean anyResource() {
    return WILDCARD.equals(resource);
  }

  /**
   * Whether this scope's action part is the wildcard.
   *
   * @return true for {@code ...:*}
   */
  public boolean anyAction() {
    return WILDCARD.equals(action);
  }

  /**
   * Whether this scope, granted, covers {@code requested}: each part is the wildcard or equal to
   * the requested part. No action implies another: {@code write} does not cover {@code read}, and
   * a wildcard is covered only by a wildcard.
   *
   * @param requested the scope asked for
   * @return whether this scope grants all of {@code requested}
   * @throws NullPointerException if {@code requested} is null
   */
  public boolean covers(Scope requested) {
    Objects.requireNonNull(requested, "requested");
    return (anyResource() || resource.equals(requested.resource))
        && (anyAction() || action.equals(requested.action));
  }

  /**
   * Whether this scope covers {@code action} on the resource named {@code resource}.
   *
   * @param resource a concrete resource name
   * @param action the action
   * @return whether a request doing {@code action} on {@code resource} is allowed by this scope
   */
  public boolean allows(String resource, Action action) {
    return (anyResource() || this.resource.equals(resource))
        && (anyAction() || this.action.equals(action.token()));
  }

  /**
   * The canonical form, which {@link #parse} reads back to an equal scope.
   *
   * @return {@code resource:action}
   */
  @Override
  public String toString() {
    return resource + ':' + action;
  }

  static boolean isResourceToken(String s) {
    return WILDCARD.equals(s) || isName(s);
  }

  static boolean isActionToken(String s) {
    return WILDCARD.equals(s) || Action.fromToken(s).isPresent();
  }

  /** {@code [a-z0-9]+ ("-" [a-z0-9]+)*}, checked without a regex. */
  static boolean isName(String s) {
    int n = s.length();
    if (n == 0 || s.charAt(0) == '-' || s.charAt(n - 1) == '-') {
      return false;
    }
    char previous = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && !(c == '-' && previous != '-')) {
        return false;
      }
      previous = c;
    }
    return true;
  }

  static String quote(String s) {
    return Messages.quote(s);
  }
}
