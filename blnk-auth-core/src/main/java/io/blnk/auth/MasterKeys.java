package io.blnk.auth;

import java.util.Objects;

/**
 * The master key's strength rule, for configuration loaders and tools that check a key before
 * building anything: at least {@value BlnkAuth#MIN_MASTER_KEY_LENGTH} characters with at least
 * {@value BlnkAuth#MIN_MASTER_KEY_DISTINCT_CHARS} distinct ones. {@link BlnkAuth.Builder#build()}
 * applies the same rule in secure mode. Stateless and thread-safe.
 */
public final class MasterKeys {

  private MasterKeys() {}

  /**
   * Checks a master key's strength.
   *
   * @param key the key to check; never echoed
   * @param what how messages name the key, e.g. {@code "BLNK_SERVER_SECRET_KEY"}
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException saying why the key is weak and how to generate a strong one;
   *     the message never states the key's length or any of its characters
   */
  public static void requireStrong(String key, String what) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(what, "what");
    BlnkAuth.Builder.requireStrong(key, what);
  }
}
