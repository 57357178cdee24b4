package io.blnk.auth.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every error the example answers, in Blnk's envelope: {@code {"error": "<message>",
 * "error_detail": {"code": "<CODE>", "message": "<message>"}}} with {@code Content-Type:
 * application/json}, whether it comes from the ledger servlet or from Jetty itself (a bad
 * percent-encoding, a malformed header or request line, an unknown route, a body too large...).
 *
 * <p>The code follows the status; the message is fixed per code and never echoes the request, so
 * an error page cannot reflect what a client sent.
 */
final class ContainerErrors {

  private ContainerErrors() {}

  /** The code for an HTTP status. */
  static String code(int status) {
    return switch (status) {
      case 404 -> "GEN_NOT_FOUND";
      case 405, 501 -> "GEN_METHOD_NOT_ALLOWED";
      case 413 -> "GEN_PAYLOAD_TOO_LARGE";
      case 415 -> "GEN_UNSUPPORTED_MEDIA_TYPE";
      case 429 -> "GEN_RATE_LIMITED";
      case 503 -> "GEN_UNAVAILABLE";
      case 505 -> "GEN_MALFORMED_REQUEST";
      default -> status >= 500 ? "GEN_INTERNAL" : "GEN_MALFORMED_REQUEST";
    };
  }

  /** The fixed message for an HTTP status. */
  static String message(int status) {
    return switch (status) {
      case 404 -> "Not found";
      case 405, 501 -> "Method not allowed";
      case 413 -> "Request body too large";
      case 414 -> "Request URI too long";
      case 415 -> "Unsupported request body encoding";
      case 429 -> "Too many requests, retry later";
      case 431 -> "Request headers too large";
      case 503 -> "Service unavailable, retry later";
      case 505 -> "HTTP version not supported";
      default -> status >= 500 ? "Internal server error" : "Malformed request";
    };
  }

  /** The envelope for {@code code} and {@code message}, as UTF-8 JSON. */
  static byte[] envelope(String code, String message) {
    ObjectNode body = Records.JSON.createObjectNode().put("error", message);
    body.putObject("error_detail").put("code", code).put("message", message);
    try {
      return Records.JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the envelope from a servlet. */
  static void send(HttpServletResponse resp, int status, String code, String message)
      throws IOException {
    byte[] bytes = envelope(code, message);
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  private static final HttpField JSON =
      new HttpField(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());

  private static void writeEnvelope(Response response, int status, Callback callback) {
    byte[] bytes = envelope(code(status), message(status));
    response.getHeaders().put(JSON);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  /**
   * Jetty's error handler for the server: the envelope instead of an HTML page for requests Jetty
   * refuses before any context runs (bad request line, header, URI or percent-encoding, headers
   * too large), for every method (Jetty writes bodies for GET, POST and HEAD only by default).
   */
  static final class ServerErrors extends org.eclipse.jetty.server.handler.ErrorHandler {

    ServerErrors() {
      setShowStacks(false);
      setShowCauses(false);
      setShowOrigin(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected void generateResponse(
        Request request, Response response, int status, String message, Throwable cause, Callback callback) {
      writeEnvelope(response, status, callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(JSON);
      return ByteBuffer.wrap(envelope(code(status), message(status)));
    }
  }

  /** The same for the servlet context: {@code sendError}, unknown paths, servlet exceptions. */
  static final class ServletErrors extends org.eclipse.jetty.ee10.servlet.ErrorHandler {

    ServletErrors() {
      setShowStacks(false);
      setShowCauses(false);
      setShowOrigin(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected void generateResponse(
        Request request, Response response, int status, String message, Throwable cause, Callback callback) {
      writeEnvelope(response, status, callback);
    }
  }
}
