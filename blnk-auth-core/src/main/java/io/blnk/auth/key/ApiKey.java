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
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException if the name is blank, too long or has control characters, or
   *     the meta data is not a JSON object's text within {@value #MAX_META_DATA_BYTES} bytes
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

  /** A key without usage controls ({@link UsagePolicy#NONE}). */
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
   */
  public String usageId() {
    return usage.sharedWith().orElse(id).value();
  }

  /**
   * A key without the lifecycle fields (enabled, no meta data, any address, no rotation links):
   * the record as it was before they existed.
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
   * @throws IllegalArgumentException saying what is wrong
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
   * Checks a key name.
   *
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

  /** Whether the key has been revoked. */
  public boolean revoked() {
    return revokedAt.isPresent();
  }

  /** Whether the key has expired at {@code now}: valid keys satisfy {@code now < expiresAt}. */
  public boolean expiredAt(Instant now) {
    return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
  }

  /** Whether the key authenticates at {@code now}: not revoked and not expired. */
  public boolean validAt(Instant now) {
    return !revoked() && !expiredAt(now);
  }

  /** Whether the key is disabled (reversible, unlike revocation). */
  public boolean disabled() {
    return disabledAt.isPresent();
  }

  /**
   * The key's status at {@code now}: revoked, else expired, else disabled, else rotating (replaced
   * by a rotation, inside its grace period), else active.
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

  /** A copy with another last-use time. */
  public ApiKey withLastUsedAt(Optional<Instant> lastUsed) {
    return toBuilder().lastUsedAt(lastUsed).build();
  }

  /** A copy with another revocation time. */
  public ApiKey withRevokedAt(Optional<Instant> revoked) {
    return toBuilder().revokedAt(revoked).build();
  }

  /** A copy with another expiry. */
  public ApiKey withExpiresAt(Optional<Instant> expires) {
    return toBuilder().expiresAt(expires).build();
  }

  /** A builder holding this key's fields, for a copy with some of them changed. */
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

    /** Other usage controls. */
    public Builder usage(UsagePolicy v) {
      usage = v;
      return this;
    }

    /** Another id. */
    public Builder id(ApiKeyId v) {
      id = v;
      return this;
    }

    /** Another name. */
    public Builder name(String v) {
      name = v;
      return this;
    }

    /** Another owner. */
    public Builder ownerId(OwnerId v) {
      ownerId = v;
      return this;
    }

    /** Other scopes. */
    public Builder scopes(ScopeSet v) {
      scopes = v;
      return this;
    }

    /** Another expiry. */
    public Builder expiresAt(Optional<Instant> v) {
      expiresAt = v;
      return this;
    }

    /** Another creation time. */
    public Builder createdAt(Instant v) {
      createdAt = v;
      return this;
    }

    /** Another last-use time. */
    public Builder lastUsedAt(Optional<Instant> v) {
      lastUsedAt = v;
      return this;
    }

    /** Another revocation time. */
    public Builder revokedAt(Optional<Instant> v) {
      revokedAt = v;
      return this;
    }

    /** Another creator. */
    public Builder createdBy(Optional<ApiKeyId> v) {
      createdBy = v;
      return this;
    }

    /** Another display prefix. */
    public Builder keyPrefix(String v) {
      keyPrefix = v;
      return this;
    }

    /** Another disable time (empty: enabled). */
    public Builder disabledAt(Optional<Instant> v) {
      disabledAt = v;
      return this;
    }

    /** Other meta data. */
    public Builder metaData(Optional<String> v) {
      metaData = v;
      return this;
    }

    /** Other allowed addresses. */
    public Builder allowedIps(IpAllowList v) {
      allowedIps = v;
      return this;
    }

    /** Another predecessor. */
    public Builder rotatedFrom(Optional<ApiKeyId> v) {
      rotatedFrom = v;
      return this;
    }

    /** Another successor. */
    public Builder rotatedTo(Optional<ApiKeyId> v) {
      rotatedTo = v;
      return this;
    }

    /**
     * The key.
     *
     * @throws NullPointerException if a field is null
     * @throws IllegalArgumentException as the constructor does
     */
    public ApiKey build() {
      return new ApiKey(id, name, ownerId, scopes, expiresAt, createdAt, lastUsedAt, revokedAt,
          createdBy, keyPrefix, disabledAt, metaData, allowedIps, rotatedFrom, rotatedTo, usage);
    }
  }
}
