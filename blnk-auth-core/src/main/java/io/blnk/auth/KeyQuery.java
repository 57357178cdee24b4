package io.blnk.auth;

import io.blnk.auth.internal.Messages;
import io.blnk.auth.key.KeyStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * Which owner's keys a {@link KeyService} call is about and, for a listing, which status to keep.
 * Build one with a static factory:
 *
 * <pre>{@code
 * keys.list(BlnkPrincipal.master(), KeyQuery.owner("acme"));
 * keys.list(BlnkPrincipal.master(), KeyQuery.owner("acme").withStatus(KeyStatus.ACTIVE));
 * keys.revoke(BlnkPrincipal.master(), apiKeyId, KeyQuery.anyOwner());
 * }</pre>
 *
 * <p>The owner named is checked by the service under its delegation rules: the master key must
 * name an owner where it acts for one (listings, owner limits) and may name one a key must belong
 * to elsewhere; a scoped key acts for its own owner and may name only that one. The owner's text is
 * validated by the service too, so that a malformed owner is a refusal ({@code APIKEY_INVALID}),
 * not an exception.
 *
 * <p>Immutable and thread-safe; equal queries are interchangeable.
 */
public final class KeyQuery {

  private static final KeyQuery ANY_OWNER = new KeyQuery(null, null);

  /** The owner named, or null for none. */
  private final String owner;

  /** The status kept by a listing, or null for every status. */
  private final KeyStatus status;

  private KeyQuery(String owner, KeyStatus status) {
    this.owner = owner;
    this.status = status;
  }

  /**
   * A query naming no owner: a scoped caller acts for its own owner; the master key reaches a key
   * of any owner by its id, and is refused ({@code APIKEY_OWNER_REQUIRED}) where it must act for
   * one owner.
   *
   * @return the query naming no owner and no status
   */
  public static KeyQuery anyOwner() {
    return ANY_OWNER;
  }

  /**
   * A query naming the owner the call acts for, or that a key named by id must belong to.
   *
   * @param owner the owner, as given (the service validates it)
   * @return the query naming {@code owner} and no status
   * @throws NullPointerException if {@code owner} is null
   * @throws IllegalArgumentException if {@code owner} is empty: name no owner with {@link
   *     #anyOwner()}
   */
  public static KeyQuery owner(String owner) {
    Objects.requireNonNull(owner, "owner");
    if (owner.isEmpty()) {
      throw new IllegalArgumentException("owner must not be empty; use KeyQuery.anyOwner()");
    }
    return new KeyQuery(owner, null);
  }

  /**
   * This query keeping only keys with one status at the service clock's now. Only listings take a
   * status; a call about one key refuses a query holding one.
   *
   * @param status the status to keep
   * @return a query with this one's owner and {@code status}
   * @throws NullPointerException if {@code status} is null
   */
  public KeyQuery withStatus(KeyStatus status) {
    return new KeyQuery(owner, Objects.requireNonNull(status, "status"));
  }

  /**
   * The owner named.
   *
   * @return the owner, as given; empty if none is named
   */
  public Optional<String> owner() {
    return Optional.ofNullable(owner);
  }

  /**
   * The status a listing keeps.
   *
   * @return the status; empty for every status
   */
  public Optional<KeyStatus> status() {
    return Optional.ofNullable(status);
  }

  /**
   * Whether {@code other} is a query with the same owner and status.
   *
   * @param other the object to compare with
   * @return true if equal
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof KeyQuery q && Objects.equals(owner, q.owner) && status == q.status;
  }

  /**
   * A hash consistent with {@link #equals}.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(owner, status);
  }

  /**
   * The query as the code that builds it, e.g. {@code KeyQuery.owner("acme").withStatus(ACTIVE)};
   * the owner is quoted and escaped, and cut if long.
   *
   * @return the query's text
   */
  @Override
  public String toString() {
    return (owner == null ? "KeyQuery.anyOwner()" : "KeyQuery.owner(" + Messages.quote(owner) + ")")
        + (status == null ? "" : ".withStatus(" + status + ")");
  }
}
