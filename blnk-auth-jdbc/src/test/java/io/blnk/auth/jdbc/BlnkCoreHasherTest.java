package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.KeyHasher;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Blnk Core's bcrypt hashes (as Go's golang.org/x/crypto/bcrypt writes them) through {@link
 * BlnkCoreHasher}: published vectors, the three prefixes, keys over bcrypt's 72 bytes, malformed
 * stored hashes, and a host without spring-security-crypto.
 */
final class BlnkCoreHasherTest {

  private static final KeyHasher HASHER =
      BlnkCoreHasher.upgradingTo(KeyHasher.hmacSha256(new byte[32]));

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void publishedTestVectorsVerify() {
    // OpenBSD / crypt_blowfish's vector ("U*U", cost 5), and jBCrypt's "abc" at cost 6.
    assertThat(HASHER.verify("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", bytes("U*U")))
        .isTrue();
    assertThat(HASHER.verify("$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i", bytes("abc")))
        .isTrue();
    assertThat(HASHER.verify("$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i", bytes("abd")))
        .isFalse();
  }

  @Test
  void theSameVectorVerifiesUnderEachPrefixBlnkCoreMayHaveStored() {
    // $2a$, $2b$ and $2y$ differ only for keys of 255 bytes or more: one hash body, three prefixes.
    for (String prefix : List.of("$2a$", "$2b$", "$2y$")) {
      String hash = prefix + "05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
      assertThat(BlnkCoreHasher.isBcrypt(hash)).isTrue();
      assertThat(HASHER.verify(hash, bytes("U*U"))).as(prefix).isTrue();
      assertThat(HASHER.verify(hash, bytes("U*V"))).as(prefix).isFalse();
      assertThat(HASHER.needsRehash(hash)).as(prefix).isTrue();
    }
  }

  @Test
  void freshHashesOfEachPrefixVerifyABlnkCoreKey() {
    String key = "q1Vt0m-8aZ3_xY7kLw2pQ9rT4uV6wX8yZ0aB1cD2eF4=";
    for (String prefix : List.of("$2a", "$2b", "$2y")) {
      String hash = BCrypt.hashpw(key, BCrypt.gensalt(prefix, 4));
      assertThat(hash).startsWith(prefix + "$04$");
      assertThat(HASHER.verify(hash, bytes(key))).as(prefix).isTrue();
      assertThat(HASHER.verify(hash, bytes(key.replace('4', '5')))).as(prefix).isFalse();
    }
  }

  @Test
  void aKeyOverSeventyTwoBytesIsRefusedEvenIfItsFirstSeventyTwoMatch() {
    byte[] seventyTwo = new byte[72];
    Arrays.fill(seventyTwo, (byte) 'k');
    String hash = BCrypt.hashpw(seventyTwo, BCrypt.gensalt("$2a", 4));
    byte[] seventyThree = Arrays.copyOf(seventyTwo, 73);
    seventyThree[72] = 'x';

    assertThat(HASHER.verify(hash, seventyTwo)).isTrue();
    assertThat(HASHER.verify(hash, seventyThree)).isFalse();
    assertThat(HASHER.verify(hash, Arrays.copyOf(seventyTwo, 200))).isFalse();
  }

  @Test
  void aMalformedStoredHashIsARefusalNotAnException() {
    List<String> malformed =
        List.of(
            "$2a$xx$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", // cost not a number
            "$2a$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", // cost below 4
            "$2a$05!CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", // no separator
            "$2a$05$!!!!!!!!!!!!!!!!!!!!!!E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", // salt not base64
            "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe\u00e9"); // not ASCII
    for (String hash : malformed) {
      assertThat(hash).hasSize(60);
      assertThat(BlnkCoreHasher.isBcrypt(hash)).isTrue();
      assertThat(HASHER.verify(hash, bytes("U*U"))).as(hash).isFalse();
    }
  }

  @Test
  void withoutSpringSecurityCryptoTheHasherFailsSayingWhatToAdd() throws Exception {
    List<URL> urls = new ArrayList<>();
    String path =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isEmpty() && !entry.contains("spring-security-crypto")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    try (URLClassLoader isolated =
        new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      @SuppressWarnings("unchecked")
      Class<? extends Callable<String>> scenario =
          (Class<? extends Callable<String>>) isolated.loadClass(Absent.class.getName());
      assertThat(scenario.getClassLoader()).isSameAs(isolated);

      assertThat(scenario.getDeclaredConstructor().newInstance().call())
          .isEqualTo(
              "IllegalStateException: BlnkCoreHasher needs bcrypt to verify Blnk Core's keys: add"
                  + " the dependency org.springframework.security:spring-security-crypto (module"
                  + " spring.security.crypto)");
    }
  }

  @Test
  void theCheckForTheJarPassesWhenItIsPresent() {
    BlnkCoreHasher.requireBcrypt(BlnkCoreHasherTest.class.getClassLoader());
    assertThatThrownBy(() -> BlnkCoreHasher.requireBcrypt(ClassLoader.getPlatformClassLoader()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("spring-security-crypto")
        .hasCauseInstanceOf(ClassNotFoundException.class);
  }

  /** Runs inside a class loader without spring-security-crypto. */
  public static final class Absent implements Callable<String> {
    @Override
    public String call() {
      try {
        Class.forName(BlnkCoreHasher.BCRYPT_CLASS);
        return "bcrypt is visible: the test is not isolated";
      } catch (ClassNotFoundException expected) {
        // as intended
      }
      try {
        BlnkCoreHasher.upgradingTo(KeyHasher.hmacSha256(new byte[32]));
        return "built without bcrypt";
      } catch (RuntimeException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    }
  }
}
