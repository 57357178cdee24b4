package io.blnk.auth;

/** What {@link KeyService#reportLeaked} does to a key reported leaked. */
public enum LeakAction {
  /** Revoke it, for good. */
  REVOKE,
  /** Disable it: refused until someone enables it again (after checking the report). */
  DISABLE
}
