package io.blnk.auth.store;

import io.blnk.auth.key.ApiKey;
import java.util.List;
import java.util.Objects;

/** What {@link KeyStore#revokeCascade} did. */
public sealed interface CascadeResult permits CascadeResult.Revoked, CascadeResult.NotFound {

  /**
   * The root exists; every key of its tree is now revoked.
   *
   * @param root the root key as it now is (revoked; by this call or before)
   * @param revoked the keys this call revoked, the root first if it was among them, then the rest
   *     level by level; empty if the whole tree was revoked already
   */
  record Revoked(ApiKey root, List<ApiKey> revoked) implements CascadeResult {
    /**
     * Copies the list; rejects nulls.
     *
     * @param root the root key as it now is (revoked; by this call or before)
     * @param revoked the keys this call revoked, the root first if it was among them, then the rest
     *     level by level; empty if the whole tree was revoked already
     * @throws NullPointerException if a component is null
     */
    public Revoked {
      Objects.requireNonNull(root, "root");
      revoked = List.copyOf(revoked);
    }
  }

  /** There is no such root key. */
  record NotFound() implements CascadeResult {}
}
