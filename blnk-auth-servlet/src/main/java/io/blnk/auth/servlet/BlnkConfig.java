package io.blnk.auth.servlet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.BlnkAuth;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Blnk's server settings: {@code blnk.json} ({@code {"server": {"secure": true, "secret_key":
 * "...", "previous_secret_keys": ["..."], "port": 5001}}}, unknown fields ignored) overridden by
 * the environment variables {@value #ENV_SECURE}, {@value #ENV_SECRET_KEY}, {@value
 * #ENV_PREVIOUS_SECRET_KEYS} (comma-separated) and {@value #ENV_PORT}. An absent {@code blnk.json}
 * means the environment alone.
 *
 * <pre>{@code
 * BlnkConfig config = BlnkConfig.load(Path.of("blnk.json"), System.getenv());
 * BlnkAuth auth = config.applyTo(BlnkAuth.builder()).store(store).build();
 * }</pre>
 *
 * <p>Secure mode is on unless a setting turns it off. Immutable and thread-safe; {@link
 * #toString()} never shows the secret key.
 */
public final class BlnkConfig {

  /** Overrides {@code server.secure}: {@code true} or {@code false}. */
  public static final String ENV_SECURE = "BLNK_SERVER_SECURE";
  /** Overrides {@code server.secret_key}, the master key. */
  public static final String ENV_SECRET_KEY = "BLNK_SERVER_SECRET_KEY";
  /** Overrides {@code server.port}. */
  public static final String ENV_PORT = "BLNK_SERVER_PORT";
  /**
   * Overrides {@code server.previous_secret_keys}: former master keys, comma-separated, still
   * accepted while clients move to the new one.
   */
  public static final String ENV_PREVIOUS_SECRET_KEYS = "BLNK_SERVER_PREVIOUS_SECRET_KEYS";

  private final boolean secure;
  private final String secretKey;
  private final List<String> previousSecretKeys;
  private final Integer port;

  private BlnkConfig(boolean secure, String secretKey, List<String> previousSecretKeys, Integer port) {
    this.secure = secure;
    this.secretKey = secretKey;
    this.previousSecretKeys = List.copyOf(previousSecretKeys);
    this.port = port;
  }

  /**
   * Reads {@code blnk.json}, if it exists, and applies the environment; without the file, the
   * environment alone configures (as {@link #fromEnvironment}).
   *
   * @param file the path of {@code blnk.json}; it need not exist
   * @param env the environment, e.g. {@code System.getenv()}
   * @return the settings
   * @throws NullPointerException if an argument is null
   * @throws IOException if the file exists but cannot be read
   * @throws IllegalArgumentException if the file or a variable holds an invalid value; the message
   *     names it
   */
  public static BlnkConfig load(Path file, Map<String, String> env) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(env, "env");
    if (Files.notExists(file)) {
      return fromEnvironment(env);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, env);
    }
  }

  /**
   * Reads {@code blnk.json} content from a stream (not closed) and applies the environment.
   *
   * @param json the content of {@code blnk.json}; an empty stream or {@code null} JSON means the
   *     environment alone
   * @param env the environment, e.g. {@code System.getenv()}
   * @return the settings
   * @throws NullPointerException if an argument is null
   * @throws IOException if the stream cannot be read
   * @throws IllegalArgumentException if the JSON or a variable holds an invalid value
   */
  public static BlnkConfig parse(InputStream json, Map<String, String> env) throws IOException {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(env, "env");
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("blnk.json is not valid JSON: " + e.getOriginalMessage());
    }
    boolean secure = true;
    String secretKey = null;
    List<String> previous = List.of();
    Integer port = null;
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        throw new IllegalArgumentException("blnk.json must hold a JSON object");
      }
      JsonNode server = root.get("server");
      if (server != null && !server.isNull()) {
        if (!server.isObject()) {
          throw new IllegalArgumentException("blnk.json: server must be an object");
        }
        JsonNode s = server.get("secure");
        if (s != null && !s.isNull()) {
          if (!s.isBoolean()) {
            throw new IllegalArgumentException("blnk.json: server.secure must be true or false");
          }
          secure = s.booleanValue();
        }
        JsonNode k = server.get("secret_key");
        if (k != null && !k.isNull()) {
          if (!k.isTextual()) {
            throw new IllegalArgumentException("blnk.json: server.secret_key must be a string");
          }
          secretKey = k.textValue();
        }
        JsonNode prev = server.get("previous_secret_keys");
        if (prev != null && !prev.isNull()) {
          previous = previousKeys(prev);
        }
        JsonNode p = server.get("port");
        if (p != null && !p.isNull()) {
          if (p.isIntegralNumber() && p.canConvertToInt()) {
            port = checkPort(p.intValue(), "blnk.json: server.port");
          } else if (p.isTextual()) {
            port = parsePort(p.textValue(), "blnk.json: server.port");
          } else {
            throw new IllegalArgumentException("blnk.json: server.port must be a number");
          }
        }
      }
    }
    return new BlnkConfig(secure, secretKey, previous, port).withEnvironment(env);
  }

  private static List<String> previousKeys(JsonNode node) {
    String what = "blnk.json: server.previous_secret_keys must be an array of strings";
    if (!node.isArray()) {
      throw new IllegalArgumentException(what);
    }
    List<String> keys = new ArrayList<>();
    for (JsonNode k : node) {
      if (!k.isTextual()) {
        throw new IllegalArgumentException(what);
      }
      if (!k.textValue().isEmpty()) {
        keys.add(k.textValue());
      }
    }
    return keys;
  }

  /** The non-empty, trimmed items of a comma-separated list. */
  static List<String> commaSeparated(String text) {
    List<String> out = new ArrayList<>();
    for (String item : text.split(",", -1)) {
      if (!item.isBlank()) {
        out.add(item.trim());
      }
    }
    return out;
  }

  /**
   * Settings from the environment alone: secure mode on unless {@value #ENV_SECURE} says
   * otherwise.
   *
   * @param env the environment, e.g. {@code System.getenv()}
   * @return the settings
   * @throws NullPointerException if {@code env} is null
   * @throws IllegalArgumentException if a variable holds an invalid value
   */
  public static BlnkConfig fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    return new BlnkConfig(true, null, List.of(), null).withEnvironment(env);
  }

  private BlnkConfig withEnvironment(Map<String, String> env) {
    boolean s = secure;
    String k = secretKey;
    List<String> previous = previousSecretKeys;
    Integer p = port;
    String v = env.get(ENV_SECURE);
    if (v != null && !v.isBlank()) {
      s = FilterSettings.parseBoolean(ENV_SECURE, v);
    }
    v = env.get(ENV_SECRET_KEY);
    if (v != null && !v.isEmpty()) {
      k = v;
    }
    v = env.get(ENV_PREVIOUS_SECRET_KEYS);
    if (v != null && !v.isBlank()) {
      previous = commaSeparated(v);
    }
    v = env.get(ENV_PORT);
    if (v != null && !v.isBlank()) {
      p = parsePort(v, ENV_PORT);
    }
    return new BlnkConfig(s, k, previous, p);
  }

  /**
   * A copy that also accepts {@code keys} as former master keys (after those configured).
   * Empty keys and keys already present are skipped.
   *
   * @param keys former master keys to add
   * @return a new settings object; this one is unchanged
   * @throws NullPointerException if {@code keys} or one of them is null
   */
  public BlnkConfig withPreviousSecretKeys(List<String> keys) {
    List<String> all = new ArrayList<>(previousSecretKeys);
    for (String key : keys) {
      Objects.requireNonNull(key, "previous secret key");
      if (!key.isEmpty() && !all.contains(key)) {
        all.add(key);
      }
    }
    return new BlnkConfig(secure, secretKey, all, port);
  }

  /**
   * A copy with secure mode on or off, whatever the file and the environment said; for a loader
   * with settings of higher precedence (such as the Spring Boot starter's {@code
   * blnk.auth.secure}).
   *
   * @param secure true to require keys; false to let every request through
   * @return a new settings object; this one is unchanged
   */
  public BlnkConfig withSecure(boolean secure) {
    return new BlnkConfig(secure, secretKey, previousSecretKeys, port);
  }

  /**
   * How many former master keys are accepted. The keys themselves only go to {@link #applyTo}.
   *
   * @return the number of former master keys
   */
  public int previousSecretKeyCount() {
    return previousSecretKeys.size();
  }

  private static int parsePort(String text, String what) {
    try {
      return checkPort(Integer.parseInt(text.trim()), what);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a port number, was " + Text.quote(text));
    }
  }

  private static int checkPort(int port, String what) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + " must be between 1 and 65535, was " + port);
    }
    return port;
  }

  /**
   * Whether secure mode is on.
   *
   * @return true unless {@code server.secure} or {@value #ENV_SECURE} turned it off
   */
  public boolean secure() {
    return secure;
  }

  /**
   * Whether a secret (master) key is set. The key itself is only handed to {@link #applyTo}.
   *
   * @return true if {@code server.secret_key} or {@value #ENV_SECRET_KEY} configured a key

   */
  public boolean hasSecretKey() {
    return secretKey != null;
  }

  /**
   * The port to listen on, if one is set.
   *
   * @return the port (1 to 65535), or empty when neither {@code server.port} nor {@value
   *     #ENV_PORT} is set
   */
  public OptionalInt port() {
    return port == null ? OptionalInt.empty() : OptionalInt.of(port);
  }

  /**
   * Sets secure mode, the master key and the former master keys on a builder: {@code secure},
   * then {@code masterKey} when a key is configured and {@code previousMasterKeys} when former keys
   * are, so the builder must not have these set already.
   *
   * @param builder the builder to configure
   * @return {@code builder}
   * @throws NullPointerException if {@code builder} is null

   * @throws IllegalStateException in secure mode, if the secret key is missing or weak (the message
   *     says how to generate a strong one); or if the builder already has one of these options set
   */
  public BlnkAuth.Builder applyTo(BlnkAuth.Builder builder) {
    Objects.requireNonNull(builder, "builder");
    if (secure) {
      if (secretKey == null || secretKey.isEmpty()) {
        throw new IllegalStateException(
            "secure mode needs a master key: set server.secret_key in blnk.json or "
                + ENV_SECRET_KEY
                + ". Generate one with: openssl rand -base64 48");
      }
      io.blnk.auth.MasterKeys.requireStrong(secretKey, "server.secret_key");
    }
    builder.secure(secure);
    if (secretKey != null && !secretKey.isEmpty()) {
      builder.masterKey(secretKey);
    }
    if (!previousSecretKeys.isEmpty()) {
      builder.previousMasterKeys(previousSecretKeys);
    }
    return builder;
  }

  /** Settings as a map without the secret, for diagnostics. */
  @Override
  public String toString() {
    return "BlnkConfig[secure="
        + secure
        + ", secret_key="
        + (secretKey == null ? "unset" : "(set)")
        + ", previous_secret_keys="
        + previousSecretKeys.size()
        + ", port="
        + (port == null ? "unset" : port.toString())
        + "]";
  }
}
