package io.blnk.auth.spring;

import io.blnk.auth.BlnkPrincipal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Spring Security's own annotations on top of the filter. */
@RestController
class SecuredController {

  /** The filter lets balances:read through; this method also wants balances:write. */
  @PreAuthorize("hasAuthority('balances:write')")
  @GetMapping("/balances/write-check")
  Map<String, String> writeCheck() {
    return Map.of("ok", "true");
  }

  @PreAuthorize("hasAuthority('BLNK_MASTER')")
  @GetMapping("/balances/master-check")
  Map<String, String> masterCheck() {
    return Map.of("ok", "true");
  }

  @GetMapping("/accounts/me")
  Map<String, Object> me(@AuthenticationPrincipal BlnkPrincipal principal) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", principal == null ? null : principal.getName());
    m.put("owner", principal == null ? null : principal.ownerId().map(o -> o.value()).orElse(null));
    m.put("master", principal != null && principal.isMaster());
    return m;
  }
}
