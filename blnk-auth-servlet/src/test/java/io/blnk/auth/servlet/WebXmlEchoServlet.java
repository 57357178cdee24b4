package io.blnk.auth.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** For the web.xml test: answers with who called and the body it read. Public for the container. */
public final class WebXmlEchoServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String who = req.getUserPrincipal() == null ? "-" : req.getUserPrincipal().getName();
    String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    resp.setContentType("text/plain");
    resp.getWriter().print(who + " " + req.isUserInRole("ledgers:write") + " " + body);
  }
}
