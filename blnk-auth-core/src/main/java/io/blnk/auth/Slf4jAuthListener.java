package io.blnk.auth;

import io.blnk.auth.internal.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs events through slf4j, one line each. Holds nothing secret and prints nothing secret. Every
 * value from outside (owner, remote address, key hint, detail) is escaped by {@link LogText}, so no
 * owner, address or path can end the line, forge another or reorder it on a screen; values with a
 * space, quote or {@code =} are quoted so they cannot pose as further fields. An aggregated refusal
 * is one line ending {@code repeated N times in PT10S}. Thread-safe.
 */
final class Slf4jAuthListener implements AuthListener {

  private static final Logger LOG = LoggerFactory.getLogger("io.blnk.auth.events");

  @Override
  public boolean wants(AuthEvent.Type type) {
    return type != AuthEvent.Type.AUTH_SUCCEEDED || LOG.isDebugEnabled();
  }

  @Override
  public void onEvent(AuthEvent e) {
    String key = e.apiKeyId().map(Object::toString).orElse(e.keyHint());
    key = key.isEmpty() ? "-" : LogText.value(key);
    String owner = e.ownerId().map(o -> LogText.value(o.value())).orElse("-");
    String code = e.code().map(Enum::name).orElse("-");
    String remote = e.remoteAddress().isEmpty() ? "-" : LogText.value(e.remoteAddress());
    String detail = LogText.escape(e.detail());
    switch (e.type()) {
      case AUTH_SUCCEEDED -> LOG.debug("{} key={} owner={} remote={}", e.type(), key, owner, remote);
      case AUTH_FAILED, PERMISSION_DENIED ->
          LOG.info("{} code={} key={} owner={} remote={} {}", e.type(), code, key, owner, remote, detail);
      default -> LOG.info("{} key={} owner={} {}", e.type(), key, owner, detail);
    }
  }
}
