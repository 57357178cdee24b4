/**
 * blnk-auth core: scopes, keys, hashing, the authenticator and the key service.
 */
module io.blnk.auth.core {
  requires org.slf4j;
  requires com.github.benmanes.caffeine;
  requires transitive io.github.bucket4j.core;
  requires de.mkammerer.argon2.nolibs;

  exports io.blnk.auth;
  exports io.blnk.auth.scope;
  exports io.blnk.auth.key;
  exports io.blnk.auth.store;
  exports io.blnk.auth.usage;
  exports io.blnk.auth.internal to
      io.blnk.auth.servlet;
}
