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
}
