package io.blnk.auth.spring;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.servlet.BlnkConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link BlnkAuthProperties}, Blnk's environment variables and {@code blnk.json} to the
 * builders, in the documented precedence. Stateless; used at start-up only.
 */
final class BlnkAuthSettings {

  private static final Logger LOG = LoggerFactory.getLogger(BlnkAuthSettings.class);

  private BlnkAuthSettings() {}

  /** Blnk's settings from {@code blnk.json} (when the file exists) and the environment. */
  static BlnkConfig blnkConfig(BlnkAuthProperties props, Map<String, String> env) {
    Map<String, String> blnkEnv = props.isUseBlnkEnvironment() ? env : Map.of();
    Path file = props.getConfigFile();
    try {
      return file != null && Files.isRegularFile(file)
          ? BlnkConfig.load(file, blnkEnv)
          : BlnkConfig.fromEnvironment(blnkEnv);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  /**
   * Secure mode and master keys: {@code blnk.auth.*} first, then {@code BLNK_SERVER_*}, then
   * {@code blnk.json}.
   *
   * @throws MasterKeyException in secure mode without a master key or with a weak one
   */
  static void applySecurity(BlnkAuth.Builder b, BlnkAuthProperties props, BlnkConfig config) {
    boolean secure = props.getSecure() != null ? props.getSecure() : config.secure();
    b.secure(secure);
    String key = props.getMasterKey();
    try {
      if (key != null && !key.isEmpty()) {
        if (secure) {
          BlnkAuth.Builder.requireStrong(key, "blnk.auth.master-key");
        }
        b.masterKey(key);
      } else if (secure) {
        if (!config.hasSecretKey()) {
          throw new MasterKeyException(
              "no master key is set (blnk.auth.master-key, BLNK_SERVER_SECRET_KEY or"
                  + " server.secret_key in blnk.json)",
              null);
        }
        config.applyTo(b); // checks the key when blnk.json / BLNK_SERVER_SECURE say secure
        b.secure(true); // build() checks it otherwise
      }
      if (secure) {
        for (String previous : props.getPreviousMasterKeys()) {
          BlnkAuth.Builder.requireStrong(previous, "a blnk.auth.previous-master-keys entry");
        }
      }
    } catch (MasterKeyException e) {
      throw e;
    } catch (IllegalStateException e) {
      throw new MasterKeyException(e.getMessage(), e);
    }
    b.previousMasterKeys(props.getPreviousMasterKeys());
  }

  /** Every value setting of {@code BlnkAuth.builder()} that exists today. */
  static void applyValues(BlnkAuth.Builder b, BlnkAuthProperties p) {
    b.keyPrefix(p.getKeyPrefix());
    b.cacheTtl(p.getCache().getTtl());
    b.cacheMaximumSize(p.getCache().getMaximumSize());
    b.negativeCacheTtl(p.getCache().getNegativeTtl());
    b.failureThrottle(p.getThrottle().getMaxFailures(), p.getThrottle().getWindow());
    if (p.getVerification().getConcurrency() != null) {
      b.verificationLimit(p.getVerification().getConcurrency(), p.getVerification().getWait());
    } else {
      b.verificationLimit(
          Math.max(2, Runtime.getRuntime().availableProcessors()), p.getVerification().getWait());
    }
    b.lastUsedInterval(p.getLastUsedInterval());
    b.allowNonExpiringKeys(p.isAllowNonExpiringKeys());
    b.rotationGrace(p.getRotation().getGrace(), p.getRotation().getMaxGrace());
    List<String> pending = pendingSettings(p);
    if (!pending.isEmpty()) {
      LOG.warn(
          "blnk-auth: {} set but not applied: this version of blnk-auth has no such setting yet",
          String.join(", ", pending));
    }
  }

  /**
   * Properties whose builder options are not in this version of the lower modules; each is listed
   * here until it is wired (one line in {@link #applyValues} or the filter's builder).
   */
  static List<String> pendingSettings(BlnkAuthProperties p) {
    List<String> set = new ArrayList<>();
    if (p.getCache().getProofTtl() != null) {
      set.add("blnk.auth.cache.proof-ttl"); // BlnkAuth.Builder: proof cache TTL (auth branch)
    }
    if (p.getThrottle().getFairBudgets() != null) {
      set.add("blnk.auth.throttle.fair-budgets"); // BlnkAuth.Builder: fair budgets (auth branch)
    }
    if (p.getJdbc().getStatementTimeout() != null) {
      set.add("blnk.auth.jdbc.statement-timeout"); // store branch
    }
    if (p.getCircuit().getFailureThreshold() != null || p.getCircuit().getOpenDuration() != null) {
      set.add("blnk.auth.circuit.*"); // store/auth branch: circuit breaker
    }
    if (p.getMaxKeysPerOwner() != 0) {
      set.add("blnk.auth.max-keys-per-owner"); // auth branch: owner key limit
    }
    if (!p.getTagTargets().isEmpty()) {
      set.add("blnk.auth.tag-targets"); // servlet: tag targets per route
    }
    return set;
  }

  /** Blnk's registry plus {@code blnk.auth.resources}, with {@code master-only-resources}. */
  static ResourceRegistry registry(BlnkAuthProperties p) {
    ResourceRegistry.Builder b = ResourceRegistry.blnkDefaults().toBuilder();
    b.addAll(p.getResources());
    for (var r : ResourceRegistry.blnkDefaults().resources()) {
      if (r.masterOnly() && !p.getMasterOnlyResources().contains(r.name())) {
        b.notMasterOnly(r.name());
      }
    }
    for (String name : p.getMasterOnlyResources()) {
      b.masterOnly(name);
    }
    return b.build();
  }
}
