package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A presented key is digested through per-thread scratch space so that the hot path allocates
 * nothing; the scratch must not keep the plaintext once the digest is taken (a heap dump or a
 * later bug would otherwise find the last key each thread saw). The test looks at every byte array
 * reachable from {@link KeyDigest}'s per-thread state, whatever the fields are called.
 */
final class PlaintextWipeTest {

  private static List<byte[]> scratchArrays() throws Exception {
    List<byte[]> arrays = new ArrayList<>();
    for (Field f : KeyDigest.class.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers()) || !ThreadLocal.class.isAssignableFrom(f.getType())) {
        continue;
      }
      f.setAccessible(true);
      Object scratch = ((ThreadLocal<?>) f.get(null)).get();
      if (scratch instanceof byte[] b) {
        arrays.add(b);
        continue;
      }
      for (Field g : scratch.getClass().getDeclaredFields()) {
        if (g.getType() == byte[].class) {
          g.setAccessible(true);
          arrays.add((byte[]) g.get(scratch));
        }
      }
    }
    return arrays;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void digestingAKeyLeavesNoPlaintextInTheScratchSpace() throws Exception {
    String key = "blnk_" + "Qz7".repeat(20);
    byte[] secret = key.substring(5).getBytes(StandardCharsets.US_ASCII);

    KeyDigest digest = KeyDigest.of(key);

    assertThat(digest).isEqualTo(KeyDigest.of(key.getBytes(StandardCharsets.UTF_8)));
    List<byte[]> arrays = scratchArrays();
    assertThat(arrays).as("the per-thread scratch arrays").isNotEmpty();
    for (byte[] a : arrays) {
      assertThat(contains(a, secret)).as("scratch array of %d bytes holds the key", a.length).isFalse();
      // nor any 8-byte run of it
      for (int i = 0; i + 8 <= secret.length; i++) {
        assertThat(contains(a, java.util.Arrays.copyOfRange(secret, i, i + 8))).isFalse();
      }
    }
  }
}
