package io.blnk.auth.servlet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * The leak-report endpoint of GitHub's secret scanning partner programme: GitHub {@code POST}s a
 * JSON array of {@code {token, type, url, source}} matches, signed with ECDSA P-256 / SHA-256 over
 * the raw body ({@code Github-Public-Key-Signature}, base64 DER) by the key named in {@code
 * Github-Public-Key-Identifier}. The public keys are configured, never fetched. Each token is
 * handed to the {@link Responder} (which finds the key by digest, without the password hash, and
 * revokes or disables it); the answer is the programme's feedback array {@code [{"token_hash":
 * sha256-hex, "token_type", "label": "true_positive" | "false_positive"}]}, never the token itself.
 *
 * <p>Refusals: another method 405; a body that is not {@code application/json} 415; a missing
 * header 400 {@code GEN_MALFORMED_REQUEST}; an unknown key identifier or a bad signature 401
 * {@code AUTH_INVALID_SIGNATURE}, before the body is parsed; a body that is not an array of match
 * objects 400; a larger body than {@link #MAX_BODY_BYTES} (or the filter's limit) 413. Immutable
 * and thread-safe.
 */
final class LeakReportEndpoint {

  /** The largest report read: 1 MiB, some five thousand matches. */
  static final long MAX_BODY_BYTES = 1L << 20;

  static final String KEY_ID_HEADER = "Github-Public-Key-Identifier";
  static final String SIGNATURE_HEADER = "Github-Public-Key-Signature";

  /** What the endpoint does with each reported token. */
  interface Responder {
    /**
     * Acts on one reported token.
     *
     * @return whether the token is a key of this service (whatever its state)
     */
    boolean report(String token, String url, String source);
  }

  private final String path;
  private final Map<String, PublicKey> keys;
  private final Responder responder;
  private final long maxBodyBytes;
  /**
   * Signature checks running at once. The endpoint is public and a P-256 verification costs far
   * more than reading a body, so an unsigned flood waits for nothing: over this many, a report is
   * answered 429 with {@code Retry-After} at once (GitHub retries), and the request threads and
   * CPU stay with the API.
   */
  private final Semaphore verifications = new Semaphore(MAX_CONCURRENT_VERIFICATIONS);

  /** At most this many signature checks at once, whatever the number of requests. */
  static final int MAX_CONCURRENT_VERIFICATIONS = 2;

  /**
   * @param path where GitHub posts, inside the context (checked like the console's path)
   * @param publicKeys key identifier to PEM ({@code -----BEGIN PUBLIC KEY-----}) of an EC P-256 key
   * @throws IllegalArgumentException if the path is invalid, no key is given, or a PEM is not a
   *     P-256 public key (the message names the identifier)
   */
  LeakReportEndpoint(String path, Map<String, String> publicKeys, Responder responder, long filterMaxBodyBytes) {
    this.path = checkPath(path);
    if (publicKeys.isEmpty()) {
      throw new IllegalArgumentException("leak response needs at least one GitHub public key");
    }
    Map<String, PublicKey> parsed = new LinkedHashMap<>();
    publicKeys.forEach((id, pem) -> parsed.put(checkId(id), publicKey(id, pem)));
    this.keys = Map.copyOf(parsed);
    this.responder = Objects.requireNonNull(responder, "responder");
    this.maxBodyBytes = Math.min(MAX_BODY_BYTES, filterMaxBodyBytes);
  }

  static String checkPath(String path) {
    try {
      return ConsolePage.checkPath(path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "leak response path must be an absolute path such as /blnk-auth/secret-scanning with plain"
              + " segments, no trailing '/' and not under /api-keys, was "
              + Text.quote(path));
    }
  }

  private static String checkId(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a GitHub public key identifier must not be empty");
    }
    return id.trim();
  }

  /**
   * The EC P-256 public key of a PEM text.
   *
   * @throws IllegalArgumentException naming {@code id} if it is not one
   */
  static PublicKey publicKey(String id, String pem) {
    try {
      String base64 =
          Objects.requireNonNull(pem, "pem")
              .replace("-----BEGIN PUBLIC KEY-----", "")
              .replace("-----END PUBLIC KEY-----", "")
              .replaceAll("\\s", "");
      PublicKey key =
          KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
      if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new IllegalArgumentException("GitHub public key " + Text.quote(id) + " is not an EC P-256 key");
      }
      return key;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("GitHub public key")) {
        throw (IllegalArgumentException) e;
      }
      throw new IllegalArgumentException(
          "GitHub public key " + Text.quote(id) + " is not a PEM EC public key (-----BEGIN PUBLIC KEY-----)", e);
    }
  }

  /** Whether a checked request path (inside the context) is this endpoint's. */
  boolean handles(String requestPath) {
    return requestPath.equals(path);
  }

  /**
   * Answers one report, refusals included.
   *
   * @throws IOException if the client cannot be written to
   */
  void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Refusal refusal = answer(request, response);
    if (refusal != null) {
      ErrorWriter.write(request, response, refusal);
    }
  }

  private Refusal answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!"POST".equals(request.getMethod())) {
      return Refusal.methodNotAllowed(request.getMethod(), "POST");
    }
    BodyPolicy.MediaType type = BodyPolicy.MediaType.parse(request.getContentType());
    String encoding = request.getHeader("Content-Encoding");
    boolean utf8 = type.charsets().stream().allMatch(c -> c.equalsIgnoreCase("utf-8"));
    if (!type.essence().equals("application/json")
        || !utf8
        || (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity"))) {
      return Refusal.of(
          ErrorCode.GEN_UNSUPPORTED_MEDIA_TYPE, "A leak report is application/json in UTF-8, without content encoding");
    }
    String keyId = request.getHeader(KEY_ID_HEADER);
    String signature = request.getHeader(SIGNATURE_HEADER);
    if (keyId == null || keyId.isBlank() || signature == null || signature.isBlank()) {
      return Refusal.of(
          ErrorCode.GEN_MALFORMED_REQUEST, KEY_ID_HEADER + " and " + SIGNATURE_HEADER + " are required");
    }
    byte[] body;
    try {
      body = Bodies.read(request, maxBodyBytes);
    } catch (Bodies.TooLarge e) {
      return Refusal.of(ErrorCode.GEN_PAYLOAD_TOO_LARGE);
    } catch (Bodies.Unreadable e) {
      return Refusal.of(ErrorCode.GEN_MALFORMED_REQUEST, "Request body could not be read");
    }
    PublicKey key = keys.get(keyId.trim());
    if (key == null) {
      return Refusal.of(ErrorCode.AUTH_INVALID_SIGNATURE, "Unknown " + KEY_ID_HEADER);
    }
    if (!verifications.tryAcquire()) {
      return new Refusal(
          ErrorCode.GEN_RATE_LIMITED, ErrorCode.GEN_RATE_LIMITED.defaultMessage(), Duration.ofSeconds(1), "");
    }
    boolean signed;
    try {
      signed = verify(key, body, signature.trim());
    } finally {
      verifications.release();
    }
    if (!signed) {
      return Refusal.of(ErrorCode.AUTH_INVALID_SIGNATURE);
    }
    JsonNode matches;
    try {
      matches = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return Refusal.of(
          ErrorCode.GEN_MALFORMED_REQUEST,
          "Malformed request body: " + Bodies.firstLine(e.getOriginalMessage(), "invalid JSON"));
    }
    if (matches == null || !matches.isArray()) {
      return Refusal.of(ErrorCode.GEN_MALFORMED_REQUEST, "Malformed request body: a JSON array of matches is required");
    }
    for (JsonNode m : matches) {
      if (!m.isObject() || !m.path("token").isTextual() || !m.path("type").isTextual()) {
        return Refusal.of(
            ErrorCode.GEN_MALFORMED_REQUEST,
            "Malformed request body: each match is an object with string fields token and type");
      }
    }
    List<Map<String, Object>> feedback = new ArrayList<>(matches.size());
    for (JsonNode m : matches) {
      String token = m.get("token").textValue();
      boolean ours = responder.report(token, m.path("url").asText(""), m.path("source").asText(""));
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("token_hash", sha256Hex(token));
      f.put("token_type", m.get("type").textValue());
      f.put("label", ours ? "true_positive" : "false_positive");
      feedback.add(f);
    }
    Json.send(request, response, 200, Json.bytes(feedback));
    return null;
  }

  /** Whether {@code signature} (base64 of an ASN.1 DER ECDSA signature) signs {@code body}. */
  static boolean verify(PublicKey key, byte[] body, String signature) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initVerify(key);
      s.update(body);
      return s.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false; // not base64, not DER, or not a signature of this body
    }
  }

  static String sha256Hex(String token) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** The signature-check permits, for tests that hold them. */
  Semaphore verifications() {
    return verifications;
  }

  @Override
  public String toString() {
    return "LeakReportEndpoint[" + path + ", keys " + keys.keySet() + "]";
  }
}
