package io.blnk.auth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asks to change on a key, as given: each present field is replaced, each absent
 * one kept. The {@link KeyService} validates every field and names the one at fault. Immutable.
 *
 * @param name a new label
 * @param expiresAt a new expiry in RFC 3339 form, e.g. {@code 2026-03-11T00:00:00Z} (a key's
 *     expiry can be moved, not removed)
 * @param scopes new scopes as strings, at least one
 * @param metaData new meta data: a JSON object's text, at most 4 KiB of UTF-8 (the servlet checks
 *     the JSON syntax; core checks the braces and the size)
 * @param allowedIps new allowed client address ranges in CIDR form; an empty list lifts the
 *     restriction
 * @param rateLimits new named rate limits (validated values); an empty list removes them. Each
 *     node starts the new limits with full buckets.
 * @param credits absent: keep; present and empty: remove the credits; present with a value: set
 *     the balance to it (and its refill). Nodes stop spending their old leases at their next lease.
 */
public record KeyUpdate(
    Optional<String> name,
    Optional<String> expiresAt,
    Optional<List<String>> scopes,
    Optional<String> metaData,
    Optional<List<String>> allowedIps,
    Optional<List<io.blnk.auth.usage.RateLimit>> rateLimits,
    Optional<Optional<io.blnk.auth.usage.Credits>> credits) {

  /**
   * An update of the lifecycle fields only.
   *
   * @param name a new label
   * @param expiresAt a new expiry in RFC 3339 form
   * @param scopes new scopes as strings; copied
   * @param metaData new meta data, a JSON object's text
   * @param allowedIps new allowed client address ranges in CIDR form; an empty list lifts the
   *     restriction; copied
   * @throws NullPointerException if an argument or a list element is null
   */
  public KeyUpdate(
      Optional<String> name,
      Optional<String> expiresAt,
      Optional<List<String>> scopes,
      Optional<String> metaData,
      Optional<List<String>> allowedIps) {
    this(name, expiresAt, scopes, metaData, allowedIps, Optional.empty(), Optional.empty());
  }

  /**
   * Copies the lists; rejects nulls.
   *
   * @param name a new label
   * @param expiresAt a new expiry in RFC 3339 form
   * @param scopes new scopes as strings; copied
   * @param metaData new meta data, a JSON object's text
   * @param allowedIps new allowed client address ranges in CIDR form; an empty list lifts the
   *     restriction; copied
   * @param rateLimits new named rate limits; an empty list removes them; copied
   * @param credits absent: keep; present and empty: remove the credits; present with a value: set
   *     the balance
   * @throws NullPointerException if a component or a list element is null
   */
  public KeyUpdate {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(metaData, "metaData");
    scopes = Objects.requireNonNull(scopes, "scopes").map(List::copyOf);
    allowedIps = Objects.requireNonNull(allowedIps, "allowedIps").map(List::copyOf);
    rateLimits = Objects.requireNonNull(rateLimits, "rateLimits").map(List::copyOf);
    Objects.requireNonNull(credits, "credits");
  }

  /**
   * Whether nothing is to change.
   *
   * @return true if every field is absent
   */
  public boolean isEmpty() {
    return name.isEmpty()
        && expiresAt.isEmpty()
        && scopes.isEmpty()
        && metaData.isEmpty()
        && allowedIps.isEmpty()
        && rateLimits.isEmpty()
        && credits.isEmpty();
  }

  /**
   * A new builder, with nothing to change.
   *
   * @return a builder with every field absent
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an update. Not thread-safe. */
  public static final class Builder {
    private String name;
    private String expiresAt;
    private List<String> scopes;
    private String metaData;
    private List<String> allowedIps;
    private List<io.blnk.auth.usage.RateLimit> rateLimits;
    private Optional<io.blnk.auth.usage.Credits> credits;

    private Builder() {}

    /**
     * New rate limits; empty removes them.
     *
     * @param limits the new named limits; empty to remove them; copied
     * @return this builder
     * @throws NullPointerException if {@code limits} or an element is null
     */
    public Builder rateLimits(List<io.blnk.auth.usage.RateLimit> limits) {
      this.rateLimits = List.copyOf(limits);
      return this;
    }

    /**
     * New credits (a new balance), or empty to remove them.
     *
     * @param credits the new balance and refill, or empty to remove the credits
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder credits(Optional<io.blnk.auth.usage.Credits> credits) {
      this.credits = Objects.requireNonNull(credits, "credits");
      return this;
    }

    /**
     * A new label.
     *
     * @param name the new label, checked by the service
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * A new expiry as text.
     *
     * @param expiresAt the new expiry in RFC 3339 form, parsed by the service
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder expiresAt(String expiresAt) {
      this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
      return this;
    }

    /**
     * A new expiry.
     *
     * @param expiresAt the new expiry, sent as its ISO 8601 text
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder expiresAt(Instant expiresAt) {
      return expiresAt(expiresAt.toString());
    }

    /**
     * New scopes.
     *
     * @param scopes the new scopes as strings, parsed by the service; copied
     * @return this builder
     * @throws NullPointerException if {@code scopes} or an element is null
     */
    public Builder scopes(List<String> scopes) {
      this.scopes = List.copyOf(scopes);
      return this;
    }

    /**
     * New scopes.
     *
     * @param scopes the new scopes as strings, parsed by the service
     * @return this builder
     * @throws NullPointerException if {@code scopes} or an element is null
     */
    public Builder scopes(String... scopes) {
      return scopes(List.of(scopes));
    }

    /**
     * New meta data (a JSON object's text).
     *
     * @param metaData the new JSON object's text, checked by the service
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder metaData(String metaData) {
      this.metaData = Objects.requireNonNull(metaData, "metaData");
      return this;
    }

    /**
     * New allowed address ranges; empty lifts the restriction.
     *
     * @param ranges the new ranges in CIDR form; empty lifts the restriction; copied
     * @return this builder
     * @throws NullPointerException if {@code ranges} or an element is null
     */
    public Builder allowedIps(List<String> ranges) {
      this.allowedIps = List.copyOf(ranges);
      return this;
    }

    /**
     * The update.
     *
     * @return an update holding the fields set; unset ones are absent (kept)
     */
    public KeyUpdate build() {
      return new KeyUpdate(
          Optional.ofNullable(name),
          Optional.ofNullable(expiresAt),
          Optional.ofNullable(scopes),
          Optional.ofNullable(metaData),
          Optional.ofNullable(allowedIps),
          Optional.ofNullable(rateLimits),
          Optional.ofNullable(credits));
    }
  }
}
