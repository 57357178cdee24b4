package io.blnk.auth.examples.webxml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;

/**
 * The application behind the {@code web.xml} drop-in: it answers with what the filter told it
 * about the caller (principal, a role check) and the body it received.
 */
public final class WhoAmIServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Principal principal = req.getUserPrincipal();
    ObjectNode out = JSON.createObjectNode();
    out.put("method", req.getMethod());
    out.put("path", req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo()));
    out.put("principal", principal == null ? null : principal.getName());
    out.put("may_write_transactions", req.isUserInRole("transactions:write"));
    out.put("body", new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    resp.setContentType("application/json");
    JSON.writeValue(resp.getOutputStream(), out);
  }
}
