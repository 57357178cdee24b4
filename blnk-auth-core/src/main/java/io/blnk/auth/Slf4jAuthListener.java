package io.blnk.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs events through slf4j. Holds nothing secret and prints nothing secret. */
final class Slf4jAuthListener implements AuthListener {

  private static final Logger LOG = LoggerFactory.getLogger("io.blnk.auth.events");

  @Override
  public boolean wants(AuthEvent.Type type) {
    return type != AuthEvent.Type.AUTH_SUCCEEDED || LOG.isDebugEnabled();
  }

  @Override
  public void onEvent(AuthEvent e) {
    String key = e.apiKeyId().map(Object::toString).orElse(e.keyHint());
    String owner = e.ownerId().map(Object::toString).orElse("-");
    String code = e.code().map(Enum::name).orElse("-");
    switch (e.type()) {
      case AUTH_SUCCEEDED ->
          LOG.debug("{} key={} owner={} remote={}", e.type(), key, owner, e.remoteAddress());
      case AUTH_FAILED, PERMISSION_DENIED ->
          LOG.info(
              "{} code={} key={} owner={} remote={} {}",
              e.type(), code, key, owner, e.remoteAddress(), e.detail());
      default -> LOG.info("{} key={} owner={} {}", e.type(), key, owner, e.detail());
    }
  }
}
