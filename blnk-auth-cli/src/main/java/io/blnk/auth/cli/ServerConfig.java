package io.blnk.auth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the CLI needs of the servers' settings: {@code server.secure} and {@code
 * server.secret_key} from {@code blnk.json}, overridden by {@code BLNK_SERVER_SECURE} and {@code
 * BLNK_SERVER_SECRET_KEY}, exactly as blnk-auth-servlet's {@code BlnkConfig} reads them (which
 * this CLI does not load: its class path would need the servlet API). {@link #toString()} hides
 * the key.
 */
final class ServerConfig {

  static final String ENV_SECURE = "BLNK_SERVER_SECURE";
  static final String ENV_SECRET_KEY = "BLNK_SERVER_SECRET_KEY";

  final boolean secure;
  /** The master key, or null. Never printed. */
  final String secretKey;
  /** Where the settings came from, for messages. */
  final String source;

  private ServerConfig(boolean secure, String secretKey, String source) {
    this.secure = secure;
    this.secretKey = secretKey;
    this.source = source;
  }

  /**
   * Reads {@code file} (or {@code ./blnk.json} when null and present) and applies the environment.
   *
   * @throws CliException if a given file is missing, unreadable or invalid
   */
  static ServerConfig load(Path file, Map<String, String> env) {
    boolean secure = true;
    String key = null;
    String source = "defaults";
    Path path = file != null ? file : Path.of("blnk.json");
    if (file != null || Files.isRegularFile(path)) {
      if (!Files.isRegularFile(path)) {
        throw new CliException("config file " + path + " does not exist");
      }
      JsonNode root;
      try {
        root = new ObjectMapper().readTree(path.toFile());
      } catch (IOException e) {
        throw new CliException(path + " is not valid JSON: " + e.getClass().getSimpleName());
      }
      JsonNode server = root == null ? null : root.get("server");
      if (server != null && server.isObject()) {
        JsonNode s = server.get("secure");
        if (s != null && !s.isNull()) {
          if (!s.isBoolean()) {
            throw new CliException(path + ": server.secure must be true or false");
          }
          secure = s.booleanValue();
        }
        JsonNode k = server.get("secret_key");
        if (k != null && !k.isNull()) {
          if (!k.isTextual()) {
            throw new CliException(path + ": server.secret_key must be a string");
          }
          key = k.textValue();
        }
      }
      source = path.toString();
    }
    String v = env.get(ENV_SECURE);
    if (v != null && !v.isBlank()) {
      String t = v.trim().toLowerCase(java.util.Locale.ROOT);
      if (!t.equals("true") && !t.equals("false")) {
        throw new CliException(ENV_SECURE + " must be true or false");
      }
      secure = t.equals("true");
      source = source + " + environment";
    }
    v = env.get(ENV_SECRET_KEY);
    if (v != null && !v.isEmpty()) {
      key = v;
      if (!source.endsWith("environment")) {
        source = source + " + environment";
      }
    }
    return new ServerConfig(secure, key, source);
  }

  @Override
  public String toString() {
    return "ServerConfig[secure=" + secure + ", secret_key=" + (secretKey == null ? "unset" : "(set)") + "]";
  }
}
