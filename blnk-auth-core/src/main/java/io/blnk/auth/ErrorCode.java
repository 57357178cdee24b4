package io.blnk.auth;

/**
 * The error catalogue: every failure the library reports, with its HTTP status and default
 * message. Messages marked exact are Blnk's own and must not change.
 */
public enum ErrorCode {
  /** No {@code X-Blnk-Key} header, or an empty one. Exact message. */
  AUTH_MISSING_API_KEY(401, "Authentication required. Use X-Blnk-Key header"),
  /** Malformed, unknown or wrong key. Exact message. */
  AUTH_INVALID_API_KEY(401, "Invalid API key"),
  /** The key is revoked or past its expiry. Exact message. */
  AUTH_EXPIRED_API_KEY(401, "API key is expired or revoked"),
  /** Key management needs an authenticated caller, and secure mode is off. */
  AUTH_MISSING_PRINCIPAL(401, "Authentication required. Enable secure mode to manage API keys"),
  /** The key is disabled (reversibly); it works again once enabled. Exact message. */
  AUTH_DISABLED_API_KEY(401, "API key is disabled"),
  /** The key has an IP allow list and the client's address is outside it. */
  AUTH_IP_NOT_ALLOWED(403, "Client address is not allowed to use this API key"),
  /**
   * A signed request (a GitHub secret scanning leak report) names an unknown public key or its
   * signature does not verify.
   */
  AUTH_INVALID_SIGNATURE(401, "Invalid request signature"),
  /** The key's scopes do not cover the request; the message names {@code resource:action}. */
  AUTH_INSUFFICIENT_PERMISSIONS(403, "Insufficient permissions for %s:%s"),
  /** The path maps to no known resource. Exact message. */
  AUTH_UNKNOWN_RESOURCE(403, "Unknown resource type"),
  /** The resource is reserved for the master key. */
  AUTH_MASTER_KEY_REQUIRED(403, "Master key required for this resource"),
  /** A scoped key tried to manage another owner's keys. */
  AUTH_CROSS_OWNER_ACCESS(403, "Cannot manage API keys of another owner"),
  /** A scoped key tried to grant what it does not hold: scopes, addresses or usage controls. */
  AUTH_SCOPE_ESCALATION(403, "Cannot grant scopes beyond your own"),
  /** No such key for this caller; never reveals whether it exists for another owner. */
  APIKEY_NOT_FOUND(404, "API key not found"),
  /** The master key must name the owner it acts for. */
  APIKEY_OWNER_REQUIRED(400, "owner is required when using the master key"),
  /** A field of a key request is invalid; the message names the field and value. */
  APIKEY_INVALID(400, "Invalid API key request"),
  /** The request body is not what the endpoint takes. */
  GEN_MALFORMED_REQUEST(400, "Malformed request body"),
  /** The request body's media type, charset or content encoding cannot be checked and tagged. */
  GEN_UNSUPPORTED_MEDIA_TYPE(415, "Unsupported request body encoding"),
  /** The method is not one the endpoint answers; the response lists the allowed ones. */
  GEN_METHOD_NOT_ALLOWED(405, "Method not allowed"),
  /** An owner already holds as many active keys as the host allows; the message names the limit. */
  APIKEY_LIMIT_EXCEEDED(409, "Owner has reached the limit of active API keys"),
  /** The request body is larger than the limit. */
  GEN_PAYLOAD_TOO_LARGE(413, "Request body too large"),
  /** Too many failed attempts or verifications; retry later. */
  GEN_RATE_LIMITED(429, "Too many requests, retry later"),
  /** The key's usage credits are spent; {@code Retry-After} says when they are refilled, if ever. */
  AUTH_USAGE_EXCEEDED(429, "API key usage credits exhausted"),
  /** The key store could not be reached; nothing was granted. */
  AUTH_STORE_UNAVAILABLE(503, "Authentication service unavailable, retry later"),
  /** An unexpected failure. */
  GEN_INTERNAL(500, "Internal server error");

  private final int httpStatus;
  private final String message;

  ErrorCode(int httpStatus, String message) {
    this.httpStatus = httpStatus;
    this.message = message;
  }

  /**
   * The HTTP status this code is answered with.
   *
   * @return the status code, e.g. 401
   */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * The default message. For {@link #AUTH_INSUFFICIENT_PERMISSIONS} it is a format with two
   * {@code %s}; use {@link #insufficientPermissions} instead.
   *
   * @return the message for the caller when no more specific one is given
   */
  public String defaultMessage() {
    return message;
  }

  /**
   * "Insufficient permissions for resource:action".
   *
   * @param resource the resource's name, e.g. {@code ledgers}
   * @param action the action's name, e.g. {@code write}
   * @return the message for {@link #AUTH_INSUFFICIENT_PERMISSIONS}
   */
  public static String insufficientPermissions(String resource, String action) {
    return "Insufficient permissions for " + resource + ':' + action;
  }
}
