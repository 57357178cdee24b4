package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

/** Assertions on a {@link KeyOutcome} that was refused, shared by the key service's tests. */
final class Refusals {

  private Refusals() {}

  /** The call was refused with exactly this code and message. */
  static void assertRefused(KeyOutcome<?> outcome, ErrorCode code, String message) {
    assertThat(outcome).isEqualTo(new KeyOutcome.Refused<>(code, message, Optional.empty()));
  }

  /** The call was refused with this code, and a message holding each part (for tables of inputs). */
  static void assertRefusedContaining(KeyOutcome<?> outcome, ErrorCode code, String... inMessage) {
    assertThat(outcome).isInstanceOf(KeyOutcome.Refused.class);
    KeyOutcome.Refused<?> r = outcome.refusal().orElseThrow();
    assertThat(r.code()).isEqualTo(code);
    assertThat(r.retryAfter()).isEmpty();
    for (String part : inMessage) {
      assertThat(r.message()).contains(part);
    }
  }
}
