package io.blnk.auth.jdbc;

import java.util.HashSet;
import java.util.Set;

/** The options a builder has set, by setter name: each may be set once. Not thread-safe. */
final class SetOnce {

  private final Set<String> set = new HashSet<>();

  /**
   * Records that {@code option} is set.
   *
   * @throws IllegalStateException naming the option if it was set before
   */
  void once(String option) {
    if (!set.add(option)) {
      throw new IllegalStateException(option + " is already set");
    }
  }
}
