package io.blnk.auth.spring.security;

import io.blnk.auth.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Spring Security's own refusals in Blnk's JSON envelope: no authentication where a rule needs one
 * (401 {@code AUTH_MISSING_API_KEY}), a rule or {@code @PreAuthorize} refusing an authenticated key
 * (403 {@code AUTH_INSUFFICIENT_PERMISSIONS}). Stateless and thread-safe.
 */
final class BlnkErrorResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

  static final String ACCESS_DENIED = "Insufficient permissions";

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    write(request, response, ErrorCode.AUTH_MISSING_API_KEY, ErrorCode.AUTH_MISSING_API_KEY.defaultMessage());
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    write(request, response, ErrorCode.AUTH_INSUFFICIENT_PERMISSIONS, ACCESS_DENIED);
  }

  /** {@code {"error": m, "error_detail": {"code": c, "message": m}}}; messages are constants. */
  static void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String message)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    byte[] body =
        ("{\"error\":\"" + message + "\",\"error_detail\":{\"code\":\"" + code.name()
                + "\",\"message\":\"" + message + "\"}}")
            .getBytes(StandardCharsets.UTF_8);
    response.setStatus(code.httpStatus());
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    if (!"HEAD".equals(request.getMethod())) {
      response.getOutputStream().write(body);
    }
    response.flushBuffer();
  }
}
