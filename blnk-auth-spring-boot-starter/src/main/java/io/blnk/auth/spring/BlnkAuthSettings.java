package io.blnk.auth.spring;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.servlet.BlnkAuthFilter;
import io.blnk.auth.servlet.BlnkConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Applies {@link BlnkAuthProperties}, Blnk's environment variables and {@code blnk.json} to the
 * builders, in the documented precedence. Stateless; used at start-up only.
 */
final class BlnkAuthSettings {

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
    String key = props.getMasterKey();
    boolean keyFromConfig = (key == null || key.isEmpty()) && secure;
    try {
      if (!keyFromConfig) {
        if (secure) {
          io.blnk.auth.MasterKeys.requireStrong(key, "blnk.auth.master-key");
        }
        b.secure(secure);
        if (key != null && !key.isEmpty()) {
          b.masterKey(key);
        }
      } else {
        if (!config.hasSecretKey()) {
          throw new MasterKeyException(
              "no master key is set (blnk.auth.master-key, BLNK_SERVER_SECRET_KEY or"
                  + " server.secret_key in blnk.json)",
              null);
        }
        // secure, with the key of blnk.json / BLNK_SERVER_SECRET_KEY (checked here) and the
        // former keys of both sources
        config.withSecure(true).withPreviousSecretKeys(props.getPreviousMasterKeys()).applyTo(b);
      }
      if (secure) {
        for (String previous : props.getPreviousMasterKeys()) {
          io.blnk.auth.MasterKeys.requireStrong(previous, "a blnk.auth.previous-master-keys entry");
        }
      }
    } catch (MasterKeyException e) {
      throw e;
    } catch (IllegalStateException e) {
      throw new MasterKeyException(e.getMessage(), e);
    }
    if (!keyFromConfig) {
      b.previousMasterKeys(props.getPreviousMasterKeys());
    }
  }

  /** Every value setting of {@code BlnkAuth.builder()}. */
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
    b.proofTtl(p.getCache().getProofTtl());
    b.verificationShare(p.getVerification().getShare());
    b.maxActiveKeysPerOwner(p.getMaxActiveKeysPerOwner());
    if (p.getMaxKeyLifetime() != null) {
      b.maxKeyLifetime(p.getMaxKeyLifetime());
    }
    b.storeTimeouts(
        p.getStore().getTimeout(), p.getStore().getRetryAfter(), p.getStore().getMaxInFlight());
    b.aggregateRefusals(p.getAggregateRefusals());
    b.acceptBlnkCoreKeys(p.isAcceptBlnkCoreKeys());
    b.usage(usage(p.getUsage()));
  }

  /** {@code blnk.auth.usage.*} as {@link io.blnk.auth.usage.UsageSettings}. */
  static io.blnk.auth.usage.UsageSettings usage(BlnkAuthProperties.Usage u) {
    io.blnk.auth.usage.UsageSettings.Builder b = io.blnk.auth.usage.UsageSettings.builder();
    String mode = u.getMode() == null ? "local" : u.getMode().trim().toLowerCase(java.util.Locale.ROOT);
    switch (mode) {
      case "local" -> b.mode(io.blnk.auth.usage.UsageSettings.Mode.LOCAL);
      case "cluster" -> b.mode(io.blnk.auth.usage.UsageSettings.Mode.CLUSTER);
      default -> throw new IllegalArgumentException(
          "blnk.auth.usage.mode must be \"local\" or \"cluster\", was \"" + u.getMode() + "\"");
    }
    if (u.getOwnerLimit() != null) {
      try {
        b.ownerLimit(
            new io.blnk.auth.usage.RateLimit(u.getOwnerLimitName(), u.getOwnerLimit(), u.getOwnerLimitPeriod()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("blnk.auth.usage.owner-limit: " + e.getMessage(), e);
      }
    }
    return b.maxLease(u.getMaxLease()).exhaustedRecheck(u.getExhaustedRecheck()).build();
  }

  /** Every value setting of {@code BlnkAuthFilter.builder(auth)}, the API base path included. */
  static void applyFilter(BlnkAuthFilter.Builder b, BlnkAuthProperties p, String apiBasePath) {
    b.publicPaths(p.getPublicPaths());
    p.getRoutes().forEach(b::route);
    p.getRequestCosts().forEach(b::requestCost);
    p.getIdRoutes().forEach(b::routeById);
    p.getIdPrefixes().forEach(b::idPrefix);
    p.getTagTargets().forEach((route, pointers) -> b.tagTargets(route, pointers.toArray(String[]::new)));
    b.maxBodyBytes(p.getMaxBodyBytes().toBytes());
    b.refusalDrainBytes(p.getRefusalDrainBytes().toBytes());
    b.console(p.getConsole().isEnabled());
    b.consolePath(p.getConsole().getPath());
    if (!apiBasePath.isEmpty()) {
      b.apiBasePath(apiBasePath);
    }
    b.trustedProxies(p.getTrustedProxies());
    b.forwardedHeader(p.getForwardedHeader());
    BlnkAuthProperties.LeakResponse leaks = p.getLeakResponse();
    if (leaks.isEnabled()) {
      b.leakResponse(leaks.getPath(), leaks.getPublicKeys(), leaks.getAction());
    }
  }

  /** Blnk's registry plus {@code blnk.auth.resources}, with {@code master-only-resources}. */
  static ResourceRegistry registry(BlnkAuthProperties p) {
    ResourceRegistry.Builder b = ResourceRegistry.blnkDefaults().toBuilder();
    try {
      b.addAll(p.getResources());
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(
          "blnk.auth.resources: " + e.getMessage() + " (Blnk's resources are always there)", e);
    }
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
