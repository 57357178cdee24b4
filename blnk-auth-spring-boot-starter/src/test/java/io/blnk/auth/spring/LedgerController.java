package io.blnk.auth.spring;

import io.blnk.auth.servlet.BlnkAuthFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A few ledger routes for the HTTP tests; knows nothing about keys. */
@RestController
class LedgerController {

  @GetMapping("/")
  Map<String, String> root() {
    return Map.of("name", "test ledger");
  }

  @GetMapping("/health")
  Map<String, String> health() {
    return Map.of("status", "UP");
  }

  @GetMapping("/ledgers")
  Map<String, Object> ledgers() {
    return Map.of("ledgers", java.util.List.of());
  }

  /** Echoes the body as the application received it (after tagging). */
  @PostMapping(value = {"/ledgers", "/transactions"}, consumes = "application/json")
  ResponseEntity<String> create(@RequestBody String body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .header("Content-Type", "application/json")
        .body(body);
  }

  @DeleteMapping("/ledgers/{id}")
  ResponseEntity<Void> delete(@PathVariable String id) {
    return ResponseEntity.noContent().build();
  }

  /** Who the servlet API says called. */
  @GetMapping("/balances/whoami")
  Map<String, Object> whoami(HttpServletRequest request, Principal principal) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("userPrincipal", request.getUserPrincipal() == null ? null : request.getUserPrincipal().getName());
    m.put("principalArgument", principal == null ? null : principal.getName());
    m.put("remoteUser", request.getRemoteUser());
    m.put("inRoleLedgersRead", request.isUserInRole("ledgers:read"));
    m.put("inRoleLedgersWrite", request.isUserInRole("ledgers:write"));
    Object attr = request.getAttribute(BlnkAuthFilter.PRINCIPAL_ATTRIBUTE);
    m.put("attribute", attr == null ? null : ((Principal) attr).getName());
    return m;
  }
}
