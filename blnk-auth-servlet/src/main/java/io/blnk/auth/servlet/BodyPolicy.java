package io.blnk.auth.servlet;

import io.blnk.auth.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * Every rule about request bodies, for bodies sent with a scoped key (the master key's pass
 * untouched) and for {@code /api-keys}:
 *
 * <ul>
 *   <li>A {@code Content-Encoding} other than {@code identity} → 415 {@code
 *       GEN_UNSUPPORTED_MEDIA_TYPE}: a decoder in the host would hand the application a body the
 *       filter never saw.
 *   <li>{@code multipart/*} and {@code application/x-www-form-urlencoded} bodies are left to the
 *       container, unread ({@code getParts()} and {@code getParameter} work as without the filter).
 *   <li>Any other declared {@code charset} than UTF-8 or US-ASCII → 415.
 *   <li>A JSON body ({@code application/json}, {@code *}{@code /*+json}, or any body that starts
 *       like JSON once whitespace, control and format characters, comments and anti-hijacking
 *       prefixes such as <code>)]}'</code> are skipped) must be one strict JSON value in UTF-8,
 *       with an optional byte order mark: else 415 (not UTF-8) or 400 {@code
 *       GEN_MALFORMED_REQUEST} (not strict JSON). It is tagged at the route's {@link TagTargets}.
 *   <li>A body that starts like JSON only when read in another charset (UTF-16, UTF-32, EBCDIC, any
 *       charset the JVM has) → 415.
 *   <li>Everything else passes byte for byte. Bodies are read whole within the limit (413 {@code
 *       GEN_PAYLOAD_TOO_LARGE} beyond it) before the application sees them.
 * </ul>
 *
 * Thread-safe.
 */
final class BodyPolicy {

  /** What to do with a request's body. */
  sealed interface Outcome permits Untouched, Replaced, Refused {}

  /** Leave the container's body alone: there is none, or it is a form or multipart. */
  record Untouched() implements Outcome {}

  /**
   * Serve these bytes as the body (tagged, or as read).
   *
   * @param body the body the application reads
   */
  record Replaced(byte[] body) implements Outcome {}

  /**
   * Refuse the request.
   *
   * @param refusal the answer
   */
  record Refused(Refusal refusal) implements Outcome {}

  private static final Untouched UNTOUCHED = new Untouched();

  /** Bytes of a body examined for a JSON start in each charset, at most. */
  static final int SNIFF_BYTES = 4096;

  private final long maxBodyBytes;
  private final TagTargets targets;
  private final BodyTagger tagger = new BodyTagger();

  BodyPolicy(long maxBodyBytes, TagTargets targets) {
    this.maxBodyBytes = maxBodyBytes;
    this.targets = targets;
  }

  /**
   * The body a scoped key's request passes on with, tagged with {@code apiKeyId}.
   *
   * @param apiPath the checked path inside the API root, which chooses the tag targets
   */
  Outcome apply(HttpServletRequest request, String apiKeyId, String apiPath) {
    if (!hasBody(request)) {
      return UNTOUCHED;
    }
    Refusal encoding = checkEncoding(request);
    if (encoding != null) {
      return new Refused(encoding);
    }
    MediaType type = MediaType.parse(request.getContentType());
    if (type.isMultipart() || type.isForm()) {
      return UNTOUCHED;
    }
    Refusal charset = checkCharset(type);
    if (charset != null) {
      return new Refused(charset);
    }
    byte[] body;
    try {
      body = Bodies.read(request, maxBodyBytes);
    } catch (Bodies.TooLarge e) {
      return new Refused(Refusal.of(ErrorCode.GEN_PAYLOAD_TOO_LARGE));
    } catch (Bodies.Unreadable e) {
      return new Refused(Refusal.of(ErrorCode.GEN_MALFORMED_REQUEST, "Request body could not be read"));
    }
    if (type.isJson() || startsLikeJson(body, StandardCharsets.UTF_8, true)) {
      return tagged(body, apiKeyId, apiPath);
    }
    Charset other = jsonInAnotherCharset(body);
    if (other != null) {
      return new Refused(notUtf8("in " + other.name()));
    }
    return new Replaced(body);
  }

  /**
   * A {@code /api-keys} body: the same encoding, charset and size rules, then the bytes (without
   * byte order mark) if they are UTF-8; the endpoint parses them strictly.
   */
  Outcome readJson(HttpServletRequest request) {
    Refusal encoding = checkEncoding(request);
    if (encoding != null) {
      return new Refused(encoding);
    }
    Refusal charset = checkCharset(MediaType.parse(request.getContentType()));
    if (charset != null) {
      return new Refused(charset);
    }
    byte[] body;
    try {
      body = Bodies.read(request, maxBodyBytes);
    } catch (Bodies.TooLarge e) {
      return new Refused(Refusal.of(ErrorCode.GEN_PAYLOAD_TOO_LARGE));
    } catch (Bodies.Unreadable e) {
      return new Refused(Refusal.of(ErrorCode.GEN_MALFORMED_REQUEST, "Request body could not be read"));
    }
    byte[] json = withoutBom(body);
    Refusal utf8 = checkUtf8(json);
    return utf8 != null ? new Refused(utf8) : new Replaced(json);
  }

  private Outcome tagged(byte[] body, String apiKeyId, String apiPath) {
    byte[] json = withoutBom(body);
    if (isBlank(json)) {
      return new Replaced(body);
    }
    Refusal utf8 = checkUtf8(json);
    if (utf8 != null) {
      return new Refused(utf8);
    }
    byte[] out;
    try {
      out = tagger.tag(json, apiKeyId, targets.forPath(apiPath));
    } catch (BodyTagger.MalformedBody e) {
      return new Refused(Refusal.of(ErrorCode.GEN_MALFORMED_REQUEST, e.getMessage()));
    }
    if (out == json) {
      return new Replaced(body);
    }
    if (json == body) {
      return new Replaced(out);
    }
    byte[] withBom = new byte[out.length + 3];
    System.arraycopy(body, 0, withBom, 0, 3);
    System.arraycopy(out, 0, withBom, 3, out.length);
    return new Replaced(withBom);
  }

  /** Whether the request carries a body: a positive length, a transfer coding, or HTTP/2+. */
  static boolean hasBody(HttpServletRequest request) {
    long length = request.getContentLengthLong();
    if (length >= 0) {
      return length > 0;
    }
    if (request.getHeader("Transfer-Encoding") != null) {
      return true;
    }
    String protocol = request.getProtocol();
    return protocol == null || !protocol.startsWith("HTTP/1.");
  }

  /** 415 unless every {@code Content-Encoding} is {@code identity}. */
  static Refusal checkEncoding(HttpServletRequest request) {
    Enumeration<String> values = request.getHeaders("Content-Encoding");
    if (values == null) {
      return null;
    }
    while (values.hasMoreElements()) {
      String value = values.nextElement();
      for (String coding : value.split(",", -1)) {
        String c = coding.trim();
        if (!c.equalsIgnoreCase("identity")) {
          return Refusal.of(
              ErrorCode.GEN_UNSUPPORTED_MEDIA_TYPE,
              "Content-Encoding " + Text.quote(c) + " is not accepted: send the request body unencoded");
        }
      }
    }
    return null;
  }

  /** 415 if a charset other than UTF-8 or US-ASCII is declared. */
  static Refusal checkCharset(MediaType type) {
    for (String charset : type.charsets()) {
      String c = charset.toLowerCase(Locale.ROOT);
      if (!(c.equals("utf-8") || c.equals("utf8") || c.equals("us-ascii") || c.equals("ascii"))) {
        return Refusal.of(
            ErrorCode.GEN_UNSUPPORTED_MEDIA_TYPE,
            "charset " + Text.quote(charset) + " is not accepted: request bodies must be UTF-8");
      }
    }
    return null;
  }

  private static Refusal notUtf8(String detail) {
    return Refusal.of(
        ErrorCode.GEN_UNSUPPORTED_MEDIA_TYPE, "JSON request bodies must be UTF-8 (this one reads as JSON " + detail + ")");
  }

  /**
   * 415 unless {@code json} is well-formed UTF-8 that Jackson will also read as UTF-8: no NUL byte
   * (UTF-16 and UTF-32 have them) and no leading {@code FE}/{@code FF} (their byte order marks).
   */
  static Refusal checkUtf8(byte[] json) {
    if (json.length > 0 && ((json[0] & 0xff) == 0xFE || (json[0] & 0xff) == 0xFF)) {
      return notUtf8("with a UTF-16 or UTF-32 byte order mark");
    }
    for (byte b : json) {
      if (b == 0) {
        return notUtf8("with NUL bytes, as UTF-16 or UTF-32");
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(json));
      return null;
    } catch (CharacterCodingException e) {
      return notUtf8("with bytes that are not UTF-8");
    }
  }

  static byte[] withoutBom(byte[] b) {
    boolean bom = b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
    return bom ? java.util.Arrays.copyOfRange(b, 3, b.length) : b;
  }

  private static boolean isBlank(byte[] b) {
    for (byte x : b) {
      if (x != ' ' && x != '\t' && x != '\r' && x != '\n') {
        return false;
      }
    }
    return true;
  }

  /** The first other charset in which the body starts like JSON, or null. */
  static Charset jsonInAnotherCharset(byte[] body) {
    for (Charset cs : OtherCharsets.WIDE_AND_LATIN) {
      if (startsLikeJson(body, cs, true)) {
        return cs;
      }
    }
    for (Charset cs : OtherCharsets.EBCDIC) {
      if (startsLikeJson(body, cs, false)) {
        return cs;
      }
    }
    return null;
  }

  /**
   * The charsets a host reads JSON in without being told (Jackson detects UTF-16 and UTF-32 from
   * the bytes; Latin-1 is many a platform default), and the EBCDIC code pages whose <code>{</code>
   * is {@code C0}, a byte no ASCII text starts with. (Not every charset: in IBM1026, for one,
   * <code>{</code> and {@code [} are ASCII {@code H} and {@code h}, so plain text would read as
   * JSON.)
   */
  private static final class OtherCharsets {
    static final List<Charset> WIDE_AND_LATIN = available(
        "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE", "ISO-8859-1", "windows-1252");
    static final List<Charset> EBCDIC = available("IBM037", "IBM1047", "IBM500", "IBM01140", "IBM01148");

    private static List<Charset> available(String... names) {
      List<Charset> out = new ArrayList<>();
      for (String name : names) {
        if (Charset.isSupported(name)) {
          out.add(Charset.forName(name));
        }
      }
      return List.copyOf(out);
    }
  }

  /**
   * Whether {@code body}, decoded with {@code charset}, starts like a JSON object or array to a
   * lenient parser: after whitespace, control and format characters, byte order marks, {@code //},
   * {@code #} and block comments and anti-hijacking prefixes, the first character is <code>{</code>
   * or (when {@code arrays}) {@code [}. A prefix longer than {@value #SNIFF_BYTES} bytes that is
   * all skippable counts as JSON.
   */
  static boolean startsLikeJson(byte[] body, Charset charset, boolean arrays) {
    for (int limit : new int[] {64, SNIFF_BYTES}) {
      int length = Math.min(body.length, limit);
      String text;
      try {
        text = new String(body, 0, length, charset);
      } catch (RuntimeException e) {
        return false; // a charset that cannot decode
      }
      int at = significant(text);
      boolean whole = length == body.length;
      if (at >= 0 && (whole || at < text.length() - 2)) {
        char c = text.charAt(at);
        return c == '{' || (arrays && c == '[');
      }
      if (whole) {
        return false; // nothing but skippable text: no JSON value
      }
    }
    return true;
  }

  private static final String[] PREFIXES = {")]}',", ")]}'", "while(1);", "for(;;);", "&&&START&&&"};

  /** The index of the first character a lenient parser would not skip, or -1. */
  static int significant(String text) {
    int i = 0;
    int n = text.length();
    outer:
    while (i < n) {
      char c = text.charAt(i);
      if (skippable(c)) {
        i++;
        continue;
      }
      if (c == '#' || text.startsWith("//", i)) {
        int eol = i;
        while (eol < n && !lineEnd(text.charAt(eol))) {
          eol++;
        }
        if (eol == n) {
          return -1;
        }
        i = eol + 1;
        continue;
      }
      if (text.startsWith("/*", i)) {
        int close = text.indexOf("*/", i + 2);
        if (close < 0) {
          return -1;
        }
        i = close + 2;
        continue;
      }
      for (String p : PREFIXES) {
        if (text.startsWith(p, i)) {
          i += p.length();
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static boolean skippable(char c) {
    return Character.isWhitespace(c)
        || Character.isSpaceChar(c)
        || Character.isISOControl(c)
        || c == '\uFEFF'
        || Character.getType(c) == Character.FORMAT;
  }

  private static boolean lineEnd(char c) {
    return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085';
  }

  /**
   * A {@code Content-Type}: its type and subtype, lower case, and every {@code charset} parameter.
   *
   * @param essence {@code type/subtype}, or {@code ""} when absent
   * @param charsets the declared charsets, usually none or one
   */
  record MediaType(String essence, List<String> charsets) {

    static MediaType parse(String header) {
      if (header == null) {
        return new MediaType("", List.of());
      }
      String[] parts = header.split(";", -1);
      String essence = parts[0].trim().toLowerCase(Locale.ROOT);
      List<String> charsets = new ArrayList<>(1);
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        int eq = p.indexOf('=');
        if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("charset")) {
          String v = p.substring(eq + 1).trim();
          if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
          }
          charsets.add(v);
        }
      }
      return new MediaType(essence, List.copyOf(charsets));
    }

    boolean isMultipart() {
      return essence.startsWith("multipart/");
    }

    boolean isForm() {
      return essence.equals("application/x-www-form-urlencoded");
    }

    /** {@code application/json}, {@code text/json}, {@code x-json} or any {@code +json} type. */
    boolean isJson() {
      int slash = essence.indexOf('/');
      String sub = slash < 0 ? "" : essence.substring(slash + 1);
      return sub.equals("json") || sub.equals("x-json") || sub.endsWith("+json");
    }
  }
}
