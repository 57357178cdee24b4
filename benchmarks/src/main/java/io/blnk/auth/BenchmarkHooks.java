package io.blnk.auth;

/**
 * Reaches package-private state of {@link BlnkAuth} for the benchmarks, which run on the class
 * path and so may share the package. Not part of any API.
 */
public final class BenchmarkHooks {

  private BenchmarkHooks() {}

  /** How many verified keys the instance caches, after pending maintenance. */
  public static long estimatedCachedKeys(BlnkAuth auth) {
    return auth.estimatedCachedKeys();
  }

  /** How many key records (id → row) the instance caches, after pending maintenance. */
  public static long estimatedCachedRecords(BlnkAuth auth) {
    return auth.estimatedCachedRecords();
  }

  /** Plays the store's feed saying changes may have been missed (a reconnect). */
  public static void feedInterrupted(BlnkAuth auth) {
    auth.changeListener().changesMayHaveBeenMissed();
  }

  /** The authenticator's constant-time master-key comparison, to time it alone. */
  public static boolean isMasterKey(String presented, char[] masterKey) {
    return Authenticator.constantTimeEquals(presented, masterKey);
  }

  /** The verified-key cache's key for a presented key (a SHA-256 digest), to time it alone. */
  public static Object keyDigest(byte[] presentedKey) {
    return KeyDigest.of(presentedKey);
  }
}
