package io.blnk.auth.key;

import io.blnk.auth.usage.UsagePolicy;

import io.blnk.auth.scope.ScopeSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about an API key apart from its secret: the fields listed and returned by the
 * management endpoints. Holds neither the plaintext nor the hash, so it is safe to print and to
 * return. Immutable and thread-safe.
 *
 * @param id the public identifier
 * @param name the human label
 * @param ownerId the owner
 * @param scopes what the key may do
 * @param expiresAt when it stops working; empty for a key that never expires
 * @param createdAt when it was created
 * @param lastUsedAt when it last authenticated a request; empty before first use
 * @param revokedAt when it was revoked; empty while it is not
 * @param createdBy the key that created it; empty when the master key or code did
 * @param keyPrefix the display prefix, e.g. {@code blnk_Ab3dEf9h}
 * @param disabledAt when it was disabled; empty while it is enabled (disabling is reversible)
 * @param metaData the host's JSON object about the key, as given (at most {@value
 *     #MAX_META_DATA_BYTES} bytes of UTF-8); empty when none was set
 * @param allowedIps the client addresses it may be used from; {@link IpAllowList#ANY} for all
 * @param rotatedFrom the key this one replaced by a rotation, if any
 * @param rotatedTo the key that replaced this one by a rotation, if any
 * @param usage its rate limits and credits ({@link UsagePolicy#NONE} for none); the credits'
 *     {@code remaining} is the store's balance when the record was read (credits leased to nodes
 *     not counted)
 */
public record ApiKey(
    ApiKeyId id,
    String name,
    OwnerId ownerId,
    ScopeSet scopes,
    Optional<Instant> expiresAt,
    Instant createdAt,
    Optional<Instant> lastUsedAt,
    Optional<Instant> revokedAt,
    Optional<ApiKeyId> createdBy,
    String keyPrefix,
    Optional<Instant> disabledAt,
    Optional<String> metaData,
    IpAllowList allowedIps,
    Optional<ApiKeyId> rotatedFrom,
    Optional<ApiKeyId> rotatedTo,
    UsagePolicy usage) {

  /** The longest name accepted, in UTF-16 code units. */
  public static final int MAX_NAME_LENGTH = 255;

  /** The largest meta data accepted, in bytes of UTF-8. */
  public static final int MAX_META_DATA_BYTES = 4096;

  /**
   * Checks that no field is null and the name is a valid label.
   *
   * @param id the public identifier
   * @param name the human label
   * @param ownerId the owner
   * @param scopes what the key may do
   * @param expiresAt when it stops working; empty for a key that never expires
   * @param createdAt when it was created
   * @param lastUsedAt when it last authenticated a request; empty before first use
   * @param revokedAt when it was revoked; empty while it is not
   * @param createdBy the key that created it; empty when the master key or code did
   * @param keyPrefix the display prefix
   * @param disabledAt when it was disabled; empty while it is enabled
   * @param metaData the host's JSON object about the key; empty when none was set
   * @param allowedIps the client addresses it may be used from
   * @param rotatedFrom the key this one replaced by a rotation, if any
   * @param rotatedTo the key that replaced this one by a rotation, if any
   * @param usage its rate limits and credits
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException if the name is blank, too long or has control characters, or
   *     the meta data is not a JSON object's text within {@value #MAX_META_DATA_BYTES} bytes
   *
   */
  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(scopes, "scopes");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(disabledAt, "disabledAt");
    Objects.requireNonNull(metaData, "metaData");
    Objects.requireNonNull(allowedIps, "allowedIps");
    Objects.requireNonNull(rotatedFrom, "rotatedFrom");
    Objects.requireNonNull(rotatedTo, "rotatedTo");
    Objects.requireNonNull(usage, "usage");
    requireValidName(name);
    metaData.ifPresent(ApiKey::requireValidMetaData);
  }

  /**
   * A key without usage controls ({@link UsagePolicy#NONE}).
   *
   * @param id the public identifier
   * @param name the human label (see {@link #requireValidName})
   * @param ownerId the owner
   * @param scopes what the key may do
   * @param expiresAt when it stops working; empty for a key that never expires
   * @param createdAt when it was created
   * @param lastUsedAt when it last authenticated a request; empty before first use
   * @param revokedAt when it was revoked; empty while it is not
   * @param createdBy the key that created it; empty when the master key or code did
   * @param keyPrefix the display prefix, e.g. {@code blnk_Ab3dEf9h}
   * @param disabledAt when it was disabled; empty while it is enabled
   * @param metaData the host's JSON object about the key (see {@link #requireValidMetaData});
   *     empty when none was set
   * @param allowedIps the client addresses it may be used from; {@link IpAllowList#ANY} for all
   * @param rotatedFrom the key this one replaced by a rotation, if any
   * @param rotatedTo the key that replaced this one by a rotation, if any
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name or the meta data is invalid, as for the canonical
   *     constructor
   */
  public ApiKey(
      ApiKeyId id,
      String name,
      OwnerId ownerId,
      ScopeSet scopes,
      Optional<Instant> expiresAt,
      Instant createdAt,
      Optional<Instant> lastUsedAt,
      Optional<Instant> revokedAt,
      Optional<ApiKeyId> createdBy,
      String keyPrefix,
      Optional<Instant> disabledAt,
      Optional<String> metaData,
      IpAllowList allowedIps,
      Optional<ApiKeyId> rotatedFrom,
      Optional<ApiKeyId> rotatedTo) {
    this(id, name, ownerId, scopes, expiresAt, createdAt, lastUsedAt, revokedAt, createdBy,
        keyPrefix, disabledAt, metaData, allowedIps, rotatedFrom, rotatedTo, UsagePolicy.NONE);
  }

  /**
   * Whose credit balance and rate-limit buckets this key uses: its own id, or (for a rotated
   * key's successor) the first key of its rotation chain, so a rotation neither resets nor
   * doubles them.
   *
   * @return the usage id: {@code usage().sharedWith()} if present, else this key's id, as text
   */
  public String usageId() {
    return usage.sharedWith().orElse(id).value();
  }

  /**
   * A key without the lifecycle fields (enabled, no meta data, any address, no rotation links):
   * the record as it was before they existed.
   *
   * @param id the public identifier
   * @param name the human label (see {@link #requireValidName})
   * @param ownerId the owner
   * @param scopes what the key may do
   * @param expiresAt when it stops working; empty for a key that never expires
   * @param createdAt when it was created
   * @param lastUsedAt when it last authenticated a request; empty before first use
   * @param revokedAt when it was revoked; empty while it is not
   * @param createdBy the key that created it; empty when the master key or code did
   * @param keyPrefix the display prefix, e.g. {@code blnk_Ab3dEf9h}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name or the meta data is invalid, as for the canonical
   *     constructor
   */
  public ApiKey(
      ApiKeyId id,
      String name,
      OwnerId ownerId,
      ScopeSet scopes,
      Optional<Instant> expiresAt,
      Instant createdAt,
      Optional<Instant> lastUsedAt,
      Optional<Instant> revokedAt,
      Optional<ApiKeyId> createdBy,
      String keyPrefix) {
    this(id, name, ownerId, scopes, expiresAt, createdAt, lastUsedAt, revokedAt, createdBy,
        keyPrefix, Optional.empty(), Optional.empty(), IpAllowList.ANY, Optional.empty(),
        Optional.empty());
  }

  /**
   * Checks meta data: the text of a JSON object (core does not parse JSON: it checks the braces
   * and the size; the servlet module checks the syntax) of at most {@value #MAX_META_DATA_BYTES}
   * bytes of UTF-8.
   *
   * @param metaData the meta data text to check
   * @return {@code metaData}, unchanged
   * @throws NullPointerException if {@code metaData} is null
   * @throws IllegalArgumentException saying what is wrong: too large, or not enclosed in braces
   */
  public static String requireValidMetaData(String metaData) {
    Objects.requireNonNull(metaData, "metaData");
    int bytes = utf8Length(metaData);
    if (bytes > MAX_META_DATA_BYTES) {
      throw new IllegalArgumentException(
          "meta_data is " + bytes + " bytes; at most " + MAX_META_DATA_BYTES + " bytes are allowed");
    }
    String t = metaData.strip();
    if (t.length() < 2 || t.charAt(0) != '{' || t.charAt(t.length() - 1) != '}') {
      throw new IllegalArgumentException("meta_data must be a JSON object");
    }
    return metaData;
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Checks a key name: not blank, at most {@value #MAX_NAME_LENGTH} UTF-16 code units, no
   * control characters.
   *
   * @param name the name to check
   * @return {@code name}, unchanged
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException saying what is wrong with the name
   */
  public static String requireValidName(String name) {
    Objects.requireNonNull(name, "name");
    String problem = TextRules.problem(name, MAX_NAME_LENGTH);
    if (problem != null) {
      throw new IllegalArgumentException("invalid name: " + problem);
    }
    return name;
  }

  /**
   * Whether the key has been revoked.
   *
   * @return true if {@link #revokedAt()} is present
   */
  public boolean revoked() {
    return revokedAt.isPresent();
  }

  /**
   * Whether the key has expired at {@code now}: valid keys satisfy {@code now < expiresAt}.
   *
   * @param now the instant to judge at
   * @return true if the key has an expiry and {@code now} is at or after it
   */
  public boolean expiredAt(Instant now) {
    return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
  }

  /**
   * Whether the key authenticates at {@code now}: not revoked and not expired. Disabling and
   * the allowed addresses are not considered.
   *
   * @param now the instant to judge at
   * @return true if the key is neither revoked nor expired at {@code now}
   */
  public boolean validAt(Instant now) {
    return !revoked() && !expiredAt(now);
  }

  /**
   * Whether the key is disabled (reversible, unlike revocation).
   *
   * @return true if {@link #disabledAt()} is present
   */
  public boolean disabled() {
    return disabledAt.isPresent();
  }

  /**
   * The key's status at {@code now}: revoked, else expired, else disabled, else rotating (replaced
   * by a rotation, inside its grace period), else active.
   *
   * @param now the instant to judge expiry at
   * @return the first status that applies, in the order above
   */
  public KeyStatus status(Instant now) {
    if (revoked()) {
      return KeyStatus.REVOKED;
    }
    if (expiredAt(now)) {
      return KeyStatus.EXPIRED;
    }
    if (disabled()) {
      return KeyStatus.DISABLED;
    }
    return rotatedTo.isPresent() ? KeyStatus.ROTATING : KeyStatus.ACTIVE;
  }

  /**
   * A copy with another last-use time.
   *
   * @param lastUsed the new last-use time; empty for never used
   * @return a key equal to this one except for {@link #lastUsedAt()}
   */
  public ApiKey withLastUsedAt(Optional<Instant> lastUsed) {
    return toBuilder().lastUsedAt(lastUsed).build();
  }

  /**
   * A copy with another revocation time.
   *
   * @param revoked the new revocation time; empty for not revoked
   * @return a key equal to this one except for {@link #revokedAt()}
   */
  public ApiKey withRevokedAt(Optional<Instant> revoked) {
    return toBuilder().revokedAt(revoked).build();
  }

  /**
   * A copy with another expiry.
   *
   * @param expires the new expiry; empty for never
   * @return a key equal to this one except for {@link #expiresAt()}
   */
  public ApiKey withExpiresAt(Optional<Instant> expires) {
    return toBuilder().expiresAt(expires).build();
  }

  /**
   * A builder holding this key's fields, for a copy with some of them changed.
   *
   * @return a new builder initialized from this key
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Copies an {@link ApiKey} with some fields changed, so that adding a field does not change
   * every caller. Not thread-safe; {@link #build()} validates like the constructor.
   */
  public static final class Builder {
    private ApiKeyId id;
    private String name;
    private OwnerId ownerId;
    private ScopeSet scopes;
    private Optional<Instant> expiresAt;
    private Instant createdAt;
    private Optional<Instant> lastUsedAt;
    private Optional<Instant> revokedAt;
    private Optional<ApiKeyId> createdBy;
    private String keyPrefix;
    private Optional<Instant> disabledAt;
    private Optional<String> metaData;
    private IpAllowList allowedIps;
    private Optional<ApiKeyId> rotatedFrom;
    private Optional<ApiKeyId> rotatedTo;
    private UsagePolicy usage;

    private Builder(ApiKey k) {
      id = k.id;
      name = k.name;
      ownerId = k.ownerId;
      scopes = k.scopes;
      expiresAt = k.expiresAt;
      createdAt = k.createdAt;
      lastUsedAt = k.lastUsedAt;
      revokedAt = k.revokedAt;
      createdBy = k.createdBy;
      keyPrefix = k.keyPrefix;
      disabledAt = k.disabledAt;
      metaData = k.metaData;
      allowedIps = k.allowedIps;
      rotatedFrom = k.rotatedFrom;
      rotatedTo = k.rotatedTo;
      usage = k.usage;
    }

    /**
     * Sets other usage controls.
     *
     * @param v the rate limits and credits; {@link UsagePolicy#NONE} for none
     * @return this builder
     */
    public Builder usage(UsagePolicy v) {
      usage = v;
      return this;
    }

    /**
     * Sets another id.
     *
     * @param v the public identifier
     * @return this builder
     */
    public Builder id(ApiKeyId v) {
      id = v;
      return this;
    }

    /**
     * Sets another name.
     *
     * @param v the human label, checked by {@link #build()}
     * @return this builder
     */
    public Builder name(String v) {
      name = v;
      return this;
    }

    /**
     * Sets another owner.
     *
     * @param v the owner
     * @return this builder
     */
    public Builder ownerId(OwnerId v) {
      ownerId = v;
      return this;
    }

    /**
     * Sets other scopes.
     *
     * @param v what the key may do
     * @return this builder
     */
    public Builder scopes(ScopeSet v) {
      scopes = v;
      return this;
    }

    /**
     * Sets another expiry.
     *
     * @param v the expiry; empty for never
     * @return this builder
     */
    public Builder expiresAt(Optional<Instant> v) {
      expiresAt = v;
      return this;
    }

    /**
     * Sets another creation time.
     *
     * @param v the creation time
     * @return this builder
     */
    public Builder createdAt(Instant v) {
      createdAt = v;
      return this;
    }

    /**
     * Sets another last-use time.
     *
     * @param v the last-use time; empty for never used
     * @return this builder
     */
    public Builder lastUsedAt(Optional<Instant> v) {
      lastUsedAt = v;
      return this;
    }

    /**
     * Sets another revocation time.
     *
     * @param v the revocation time; empty for not revoked
     * @return this builder
     */
    public Builder revokedAt(Optional<Instant> v) {
      revokedAt = v;
      return this;
    }

    /**
     * Sets another creator.
     *
     * @param v the creating key; empty for the master key or code
     * @return this builder
     */
    public Builder createdBy(Optional<ApiKeyId> v) {
      createdBy = v;
      return this;
    }

    /**
     * Sets another display prefix.
     *
     * @param v the display prefix
     * @return this builder
     */
    public Builder keyPrefix(String v) {
      keyPrefix = v;
      return this;
    }

    /**
     * Sets another disable time (empty: enabled).
     *
     * @param v the disable time; empty for enabled
     * @return this builder
     */
    public Builder disabledAt(Optional<Instant> v) {
      disabledAt = v;
      return this;
    }

    /**
     * Sets other meta data.
     *
     * @param v the JSON object text, checked by {@link #build()}; empty for none
     * @return this builder
     */
    public Builder metaData(Optional<String> v) {
      metaData = v;
      return this;
    }

    /**
     * Sets other allowed addresses.
     *
     * @param v the allowed client addresses
     * @return this builder
     */
    public Builder allowedIps(IpAllowList v) {
      allowedIps = v;
      return this;
    }

    /**
     * Sets another predecessor.
     *
     * @param v the key this one replaced; empty for none
     * @return this builder
     */
    public Builder rotatedFrom(Optional<ApiKeyId> v) {
      rotatedFrom = v;
      return this;
    }

    /**
     * Sets another successor.
     *
     * @param v the key that replaced this one; empty for none
     * @return this builder
     */
    public Builder rotatedTo(Optional<ApiKeyId> v) {
      rotatedTo = v;
      return this;
    }

    /**
     * Builds the key from the fields set so far.
     *
     * @return a new, validated key
     * @throws NullPointerException if a field is null
     * @throws IllegalArgumentException as the constructor does
     */
    public ApiKey build() {
      return new ApiKey(id, name, ownerId, scopes, expiresAt, createdAt, lastUsedAt, revokedAt,
          createdBy, keyPrefix, disabledAt, metaData, allowedIps, rotatedFrom, rotatedTo, usage);
    }
  }
}
