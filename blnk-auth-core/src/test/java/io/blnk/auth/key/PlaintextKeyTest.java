package io.blnk.auth.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** A plaintext key is a value: equal text, equal keys and hash codes; it never prints its secret. */
final class PlaintextKeyTest {

  @Test
  void equalTextMakesEqualKeysWithEqualHashCodesAndOtherTextDoesNot() {
    SecureRandom random = new SecureRandom();
    PlaintextKey one = KeyFormat.blnk().generate(random);
    PlaintextKey again = PlaintextKey.of(one.reveal(), KeyFormat.blnk());
    PlaintextKey other = KeyFormat.blnk().generate(random);

    assertThat(again).isEqualTo(one).hasSameHashCodeAs(one);
    assertThat(one.hashCode()).isEqualTo(one.reveal().hashCode());
    assertThat(other).isNotEqualTo(one);
    assertThat(other.hashCode()).isEqualTo(other.reveal().hashCode()).isNotEqualTo(one.hashCode());
    assertThat(one.equals(one.reveal())).isFalse();
    assertThat(one.toString()).isEqualTo("PlaintextKey[" + one.displayPrefix() + "…]").doesNotContain(one.reveal());
  }

  @Test
  void wrappingRefusesTextThatIsNotAKeyOfTheFormat() {
    assertThatThrownBy(() -> PlaintextKey.of("blnk_nope", KeyFormat.blnk()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a well-formed blnk key");
  }
}
