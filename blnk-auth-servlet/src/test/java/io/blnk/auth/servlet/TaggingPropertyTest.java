package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.blnk.auth.CreatedKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever reaches the application, any JSON object that Jackson with every leniency feature on
 * could read from it (from the bytes, which Jackson decodes as UTF-8, UTF-16 or UTF-32, or from
 * the bytes decoded in the declared charset, Latin-1 or EBCDIC, inflated when the request says
 * gzip) carries the key's id at every configured target; or the request was refused with the
 * envelope before the application. Bodies vary in encoding, byte order mark, whitespace, comments,
 * nesting, duplicate names, quoting, Content-Type and Content-Encoding, and go to Jetty, Tomcat and
 * Undertow. A strict UTF-8 JSON object sent plainly must get through.
 */
final class TaggingPropertyTest {

  static final Map<TestServer.Container, TestServer> SERVERS = new EnumMap<>(TestServer.Container.class);
  static final Map<TestServer.Container, CreatedKey> KEYS = new EnumMap<>(TestServer.Container.class);

  /** Jackson with every leniency it has. */
  static final ObjectMapper LENIENT = lenient();

  private static ObjectMapper lenient() {
    JsonMapper.Builder b = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    for (JsonReadFeature f : JsonReadFeature.values()) {
      b.enable(f);
    }
    return b.build();
  }

  static final List<String> CHARSETS =
      List.of("UTF-8", "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE", "ISO-8859-1", "IBM037", "IBM1047", "IBM500");

  @BeforeContainer
  static void start() throws Exception {
    for (TestServer.Container c : TestServer.Container.values()) {
      TestServer s =
          new TestServer(
              c, true, b -> {}, f -> f.tagTargets("/transactions/bulk", "/transactions/*/meta_data"), false, List.of());
      SERVERS.put(c, s);
      KEYS.put(c, s.createKey("owner-prop", "transactions:write"));
    }
  }

  @AfterContainer
  static void stop() {
    SERVERS.values().forEach(TestServer::close);
    SERVERS.clear();
  }

  /** A generated request body and how it is sent. */
  record Case(String text, boolean strict, boolean bulk, String charset, String contentType, String encoding) {}

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Long> seeds = Arbitraries.longs();
    Arbitrary<String> charsets = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just("UTF-8")), net.jqwik.api.Tuple.of(4, Arbitraries.of(CHARSETS)));
    Arbitrary<String> types =
        Arbitraries.of(
            "", "application/json", "application/json; charset=UTF-8", "application/json; charset=%s",
            "application/json; charset=IBM037", "application/vnd.blnk+json", "text/plain", "text/plain; charset=%s",
            "application/octet-stream", "text/json; charset=\"utf-8\"");
    Arbitrary<String> encodings = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just("")),
        net.jqwik.api.Tuple.of(3, Arbitraries.of("identity", "gzip", "deflate", "br", "gzip, identity", "x-gzip")));
    return net.jqwik.api.Combinators.combine(seeds, charsets, types, encodings, Arbitraries.of(true, false))
        .as((seed, charset, type, encoding, bulk) -> {
          Random r = new Random(seed);
          Gen g = new Gen(r, r.nextInt(3) == 0);
          String prefix = g.lenient ? pick(r, "\uFEFF", ")]}'\n", "\u00a0", "\f", "// c\n", "/* c */", "# c\n", " ", "") : pick(r, "", " \n", "\uFEFF");
          String body = prefix + (bulk ? g.bulk() : g.object(0, true));
          if (g.lenient && r.nextBoolean()) {
            body = body + pick(r, " // end", " /* x */", ",", " {\"meta_data\":{\"BLNK_GENERATED_BY\":\"forged\"}}");
          }
          boolean strict = !g.lenient && !g.duplicates && charset.equals("UTF-8") && encoding.isEmpty() && !type.contains("%s")
              && !type.contains("IBM037");
          return new Case(body, strict, bulk, charset, type.replace("%s", charset), encoding);
        });
  }

  static String pick(Random r, String... options) {
    return options[r.nextInt(options.length)];
  }

  /** Writes JSON-ish text, strict or with lenient syntax, sometimes forging the tag. */
  static final class Gen {
    final Random r;
    final boolean lenient;
    boolean duplicates;

    Gen(Random r, boolean lenient) {
      this.r = r;
      this.lenient = lenient;
    }

    String ws() {
      return lenient ? pick(r, "", " ", "\n", "\t", "/* c */", "//c\n", "#c\n") : pick(r, "", " ", "\n", "\t", "\r\n");
    }

    String name(String n) {
      return lenient && r.nextInt(4) == 0 ? pick(r, n, "'" + n + "'") : "\"" + n + "\"";
    }

    String forgedMeta() {
      return pick(r, "{\"BLNK_GENERATED_BY\":\"forged\"}", "{\"k\":\"v\",\"BLNK_GENERATED_BY\":\"forged\"}", "{}", "null",
          "\"x\"", "[1]", "{\"BLNK_GENERATED\\u005fBY\":\"forged\"}");
    }

    String object(int depth, boolean top) {
      List<String> members = new ArrayList<>();
      Set<String> names = new java.util.HashSet<>();
      int n = r.nextInt(4);
      for (int i = 0; i < n; i++) {
        String name = pick(r, "amount", "name", "ref", "n" + i + depth);
        duplicates |= !names.add(name);
        members.add(name(name) + ":" + ws() + value(depth + 1));
      }
      if (top || r.nextInt(3) == 0) {
        if (r.nextInt(4) != 0) {
          duplicates |= !names.add("meta_data");
          members.add(r.nextInt(members.size() + 1), name(pick(r, "meta_data", "meta\\u005fdata")) + ":" + ws() + forgedMeta());
        }
        if (r.nextInt(5) == 0) {
          duplicates |= !names.add("meta_data");
          members.add(name("meta_data") + ":" + forgedMeta());
        }
      }
      String sep = "," + ws();
      String trailing = lenient && r.nextInt(3) == 0 && !members.isEmpty() ? "," : "";
      return "{" + ws() + String.join(sep, members) + trailing + ws() + "}";
    }

    String value(int depth) {
      int choice = depth > 3 ? r.nextInt(3) : r.nextInt(5);
      return switch (choice) {
        case 0 -> pick(r, "1", "-2.50", "123456789012345678901234567890", "1e21");
        case 1 -> pick(r, "\"s\"", "\"\\u00e9\\\"\"", "\"\u00e9\u4e2d\"", "true", "null");
        case 2 -> lenient ? pick(r, "'single'", "NaN", "01", "[1,,2]") : "false";
        case 3 -> "[" + ws() + object(depth + 1, false) + "," + ws() + value(depth + 1) + "]";
        default -> object(depth + 1, false);
      };
    }

    String bulk() {
      List<String> txns = new ArrayList<>();
      int n = 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) {
        txns.add(object(1, true));
      }
      return "{" + ws() + name("atomic") + ":true," + ws() + name("transactions") + ":[" + String.join("," + ws(), txns) + "]}";
    }
  }

  @Property(tries = 450)
  void whateverReachesTheApplicationCarriesTheTagAtEveryTarget(
      @ForAll("cases") Case c, @ForAll TestServer.Container container) throws Exception {
    TestServer server = SERVERS.get(container);
    String id = KEYS.get(container).apiKey().id().value();
    byte[] bytes = c.text().getBytes(Charset.forName(c.charset()));
    if (c.encoding().contains("gzip")) {
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
        out.write(bytes);
      }
      bytes = gz.toByteArray();
    }
    HttpRequest.Builder r =
        HttpRequest.newBuilder(server.uri(c.bulk() ? "/transactions/bulk" : "/transactions"))
            .header("X-Blnk-Key", TestServer.key(KEYS.get(container)))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    if (!c.contentType().isEmpty()) {
      r.header("Content-Type", c.contentType());
    }
    if (!c.encoding().isEmpty()) {
      r.header("Content-Encoding", c.encoding());
    }
    int before = server.servletHits.get();
    server.lastSeen.set(null);
    HttpResponse<String> response = BadInputHttpTest.send(server, r.build());
    if (response.statusCode() != 200) {
      BadInputHttpTest.assertEnvelope(response.statusCode(), response.body(),
          Set.of("GEN_MALFORMED_REQUEST", "GEN_UNSUPPORTED_MEDIA_TYPE"), c.toString());
      assertThat(server.servletHits.get()).as("refused yet reached the application").isEqualTo(before);
      assertThat(c.strict()).as("a strict UTF-8 JSON object was refused: " + response.body()).isFalse();
      return;
    }
    byte[] seen = server.lastBody();
    Object encoding = server.lastSeen.get().get("contentEncoding");
    for (JsonNode object : objectsALenientParserReads(seen, String.valueOf(server.lastSeen.get().get("contentType")),
        encoding != null && encoding.toString().contains("gzip"))) {
      if (c.bulk()) {
        for (JsonNode txn : object.path("transactions")) {
          if (txn.isObject()) {
            assertThat(txn.path("meta_data").path("BLNK_GENERATED_BY").asText()).as(c.toString()).isEqualTo(id);
          }
        }
      } else {
        assertThat(object.path("meta_data").path("BLNK_GENERATED_BY").asText()).as(c.toString()).isEqualTo(id);
      }
    }
  }

  /** Every JSON object the lenient mapper reads from the bytes in each way a host might. */
  static List<JsonNode> objectsALenientParserReads(byte[] bytes, String contentType, boolean gzip) {
    List<byte[]> sources = new ArrayList<>(List.of(bytes));
    if (gzip) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        sources.add(in.readAllBytes());
      } catch (Exception e) {
        // not gzip after all
      }
    }
    Set<String> charsets = new LinkedHashSet<>(CHARSETS);
    for (String c : BodyPolicy.MediaType.parse(contentType.equals("null") ? null : contentType).charsets()) {
      if (Charset.isSupported(c)) {
        charsets.add(c);
      }
    }
    List<JsonNode> out = new ArrayList<>();
    for (byte[] source : sources) {
      add(out, () -> LENIENT.readTree(source));
      for (String cs : charsets) {
        String text = new String(source, Charset.forName(cs));
        add(out, () -> LENIENT.readTree(text));
        if (text.startsWith("\uFEFF")) {
          add(out, () -> LENIENT.readTree(text.substring(1)));
        }
      }
    }
    return out;
  }

  interface Read {
    JsonNode read() throws Exception;
  }

  static void add(List<JsonNode> out, Read read) {
    try {
      JsonNode n = read.read();
      if (n != null && n.isObject()) {
        out.add(n);
      }
    } catch (Exception | StackOverflowError e) {
      // not JSON this way
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
