package io.blnk.auth.benchmarks;

import java.util.List;

/** The naive scope check: split every scope string of the key on each request. A baseline. */
final class SplitMatcher {

  private SplitMatcher() {}

  static boolean allows(List<String> scopes, String resource, String action) {
    for (String scope : scopes) {
      String[] parts = scope.split(":");
      if (parts.length == 2
          && (parts[0].equals("*") || parts[0].equals(resource))
          && (parts[1].equals("*") || parts[1].equals(action))) {
        return true;
      }
    }
    return false;
  }
}
