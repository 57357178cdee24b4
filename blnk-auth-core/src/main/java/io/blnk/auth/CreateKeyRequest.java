package io.blnk.auth;

import io.blnk.auth.usage.UsagePolicy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asks for when creating a key, as given: the {@link KeyService} validates every
 * field and names the one at fault. Immutable.
 *
 * @param name the label, required
 * @param owner the owner; required for the master key, defaults to the caller's own for a scoped
 *     key
 * @param scopes the scopes as strings, at least one
 * @param expiresAt the expiry in RFC 3339 / ISO 8601 form, e.g. {@code 2026-03-11T00:00:00Z}
 * @param metaData the key's meta data, a JSON object's text (see {@link KeyUpdate#metaData()})
 * @param allowedIps the client address ranges the key may be used from; empty for any
 * @param usage the key's rate limits and credits (already validated values; {@link
 *     UsagePolicy#NONE} for none)
 */
public record CreateKeyRequest(
    Optional<String> name,
    Optional<String> owner,
    List<String> scopes,
    Optional<String> expiresAt,
    Optional<String> metaData,
    List<String> allowedIps,
    UsagePolicy usage) {

  /**
   * Copies the lists; rejects nulls.
   *
   * @param name the label, required by the service
   * @param owner the owner; required for the master key, defaults to the caller's own for a scoped
   *     key
   * @param scopes the scopes as strings, at least one; copied
   * @param expiresAt the expiry in RFC 3339 / ISO 8601 form
   * @param metaData the key's meta data, a JSON object's text
   * @param allowedIps the client address ranges (CIDR) the key may be used from; empty for any;
   *     copied
   * @param usage the key's rate limits and credits; {@link UsagePolicy#NONE} for none
   * @throws NullPointerException if a component or a list element is null
   */
  public CreateKeyRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(metaData, "metaData");
    scopes = List.copyOf(Objects.requireNonNull(scopes, "scopes"));
    allowedIps = List.copyOf(Objects.requireNonNull(allowedIps, "allowedIps"));
    Objects.requireNonNull(usage, "usage");
  }

  /**
   * A request without usage controls.
   *
   * @param name the label, required by the service
   * @param owner the owner; required for the master key, defaults to the caller's own for a scoped
   *     key
   * @param scopes the scopes as strings, at least one; copied
   * @param expiresAt the expiry in RFC 3339 / ISO 8601 form
   * @param metaData the key's meta data, a JSON object's text
   * @param allowedIps the client address ranges (CIDR) the key may be used from; empty for any;
   *     copied
   * @throws NullPointerException if an argument or a list element is null
   */
  public CreateKeyRequest(
      Optional<String> name,
      Optional<String> owner,
      List<String> scopes,
      Optional<String> expiresAt,
      Optional<String> metaData,
      List<String> allowedIps) {
    this(name, owner, scopes, expiresAt, metaData, allowedIps, UsagePolicy.NONE);
  }

  /**
   * A request without meta data or an address restriction.
   *
   * @param name the label, required by the service
   * @param owner the owner; required for the master key, defaults to the caller's own for a scoped
   *     key
   * @param scopes the scopes as strings, at least one; copied
   * @param expiresAt the expiry in RFC 3339 / ISO 8601 form
   * @throws NullPointerException if an argument or a list element is null
   */
  public CreateKeyRequest(
      Optional<String> name, Optional<String> owner, List<String> scopes, Optional<String> expiresAt) {
    this(name, owner, scopes, expiresAt, Optional.empty(), List.of());
  }

  /**
   * A new builder.
   *
   * @return a builder with no field set: no scopes, no address restriction, no usage controls
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a request. Not thread-safe. */
  public static final class Builder {
    private String name;
    private String owner;
    private List<String> scopes = List.of();
    private String expiresAt;
    private String metaData;
    private List<String> allowedIps = List.of();
    private UsagePolicy usage = UsagePolicy.NONE;

    private Builder() {}

    /**
     * The key's rate limits and credits.
     *
     * @param usage the rate limits and credits; {@link UsagePolicy#NONE} for none
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder usage(UsagePolicy usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /**
     * The key's meta data, a JSON object's text.
     *
     * @param metaData the JSON object's text, checked by the service
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder metaData(String metaData) {
      this.metaData = Objects.requireNonNull(metaData, "metaData");
      return this;
    }

    /**
     * The client address ranges the key may be used from (CIDR).
     *
     * @param ranges the ranges in CIDR form, checked by the service; empty for any address; copied
     * @return this builder
     * @throws NullPointerException if {@code ranges} or an element is null
     */
    public Builder allowedIps(List<String> ranges) {
      this.allowedIps = List.copyOf(ranges);
      return this;
    }

    /**
     * The key's label.
     *
     * @param name the label, checked by the service
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * The owner.
     *
     * @param owner the owner's id, checked by the service
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    /**
     * The scopes, e.g. {@code List.of("ledgers:read")}.
     *
     * @param scopes the scopes as strings, parsed by the service; copied
     * @return this builder
     * @throws NullPointerException if {@code scopes} or an element is null
     */
    public Builder scopes(List<String> scopes) {
      this.scopes = List.copyOf(scopes);
      return this;
    }

    /**
     * The scopes, e.g. {@code "ledgers:read", "balances:write"}.
     *
     * @param scopes the scopes as strings, parsed by the service
     * @return this builder
     * @throws NullPointerException if {@code scopes} or an element is null
     */
    public Builder scopes(String... scopes) {
      return scopes(List.of(scopes));
    }

    /**
     * The expiry as text, e.g. {@code 2026-03-11T00:00:00Z}.
     *
     * @param expiresAt the expiry in RFC 3339 form, parsed by the service
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder expiresAt(String expiresAt) {
      this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
      return this;
    }

    /**
     * The expiry.
     *
     * @param expiresAt the expiry, sent as its ISO 8601 text
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder expiresAt(Instant expiresAt) {
      return expiresAt(expiresAt.toString());
    }

    /**
     * The request.
     *
     * @return a request holding the fields set; unset ones are empty
     */
    public CreateKeyRequest build() {
      return new CreateKeyRequest(
          Optional.ofNullable(name),
          Optional.ofNullable(owner),
          scopes,
          Optional.ofNullable(expiresAt),
          Optional.ofNullable(metaData),
          allowedIps,
          usage);
    }
  }
}
