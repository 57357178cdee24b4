package io.blnk.auth.servlet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Adds {@code meta_data.BLNK_GENERATED_BY} to a JSON-object body by splicing bytes: Jackson's
 * streaming parser validates the whole body and reports where each top-level member lies, and
 * everything outside the {@code meta_data} value is copied byte for byte (numbers, escapes, key
 * order and whitespace unchanged).
 *
 * <ul>
 *   <li>A body whose first non-whitespace character is not <code>{</code> (empty, {@code null},
 *       an array, a string, a number, non-JSON) is returned unchanged.
 *   <li>A body that starts like an object but is not exactly one valid JSON object is refused
 *       ({@link MalformedBody}): passing it on untagged would let a lenient parser in the
 *       application accept a forged tag.
 *   <li>Every top-level {@code meta_data} member is tagged (so duplicate members cannot smuggle a
 *       forged value past a last-wins parser); an object value keeps its members, minus any
 *       {@code BLNK_GENERATED_BY}, and gains the tag last; any other value is replaced by
 *       <code>{"BLNK_GENERATED_BY": id}</code>. Without {@code meta_data}, one is appended.
 *   <li>JSON in UTF-16 or UTF-32 is refused: RFC 8259 requires UTF-8.
 * </ul>
 *
 * Thread-safe.
 */
final class BodyTagger {

  static final String META_DATA = "meta_data";
  static final String TAG = "BLNK_GENERATED_BY";

  /** Thrown for a body that looks like a JSON object but is not one. */
  static final class MalformedBody extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedBody(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Numbers are copied as text and never converted, so their length needs no limit; nesting keeps
   * Jackson's default limit (1,000).
   */
  private final JsonFactory factory =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE).build())
          .build();

  /**
   * The body to pass on: {@code body} itself when nothing changes.
   *
   * @throws MalformedBody if the body starts like a JSON object but is not one valid UTF-8 object
   */
  byte[] tag(byte[] body, String apiKeyId) throws MalformedBody {
    int bom = hasUtf8Bom(body) ? 3 : 0;
    Charset wide = wideCharset(body);
    if (wide != null) {
      String text = new String(body, wide);
      int i = text.startsWith("\uFEFF") ? 1 : 0;
      while (i < text.length() && isJsonSpace(text.charAt(i))) {
        i++;
      }
      if (i < text.length() && text.charAt(i) == '{') {
        throw new MalformedBody("JSON request bodies must be UTF-8");
      }
      return body;
    }
    int i = bom;
    while (i < body.length && isJsonSpace((char) body[i])) {
      i++;
    }
    if (i == body.length || body[i] != '{') {
      return body;
    }
    byte[] json = bom == 0 ? body : java.util.Arrays.copyOfRange(body, bom, body.length);
    byte[] tagged;
    try {
      tagged = splice(json, apiKeyId);
    } catch (IOException e) {
      throw new MalformedBody("Malformed JSON body: " + Bodies.firstLine(e.getMessage(), "invalid"));
    }
    if (bom == 0) {
      return tagged;
    }
    byte[] out = new byte[tagged.length + 3];
    System.arraycopy(body, 0, out, 0, 3);
    System.arraycopy(tagged, 0, out, 3, tagged.length);
    return out;
  }

  private byte[] splice(byte[] b, String id) throws IOException, MalformedBody {
    byte[] tagObject = ("{\"" + TAG + "\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + tagObject.length + 16);
    try (JsonParser p = factory.createParser(b)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedBody("Malformed JSON body");
      }
      int open = start(p);
      int copied = 0;
      int lastValueEnd = -1;
      boolean found = false;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        int valueStart = start(p);
        int valueEnd;
        if (META_DATA.equals(name)) {
          out.write(b, copied, valueStart - copied);
          if (v == JsonToken.START_OBJECT) {
            valueEnd = mergeInto(p, b, out, id);
          } else {
            valueEnd = skipValue(p, b, v, valueStart);
            out.write(tagObject);
          }
          copied = valueEnd;
          found = true;
        } else {
          valueEnd = skipValue(p, b, v, valueStart);
        }
        lastValueEnd = valueEnd;
      }
      if (t != JsonToken.END_OBJECT) {
        throw new MalformedBody("Malformed JSON body");
      }
      if (p.nextToken() != null) {
        throw new MalformedBody("Malformed JSON body: content after the object");
      }
      if (!found) {
        int at = lastValueEnd < 0 ? open + 1 : lastValueEnd;
        out.write(b, copied, at - copied);
        out.write(
            ((lastValueEnd < 0 ? "\"" : ",\"") + META_DATA + "\":").getBytes(StandardCharsets.UTF_8));
        out.write(tagObject);
        copied = at;
      }
      out.write(b, copied, b.length - copied);
      return out.toByteArray();
    }
  }

  /** Copies an object value's members except the tag, adds the tag; returns the value's end. */
  private static int mergeInto(JsonParser p, byte[] b, ByteArrayOutputStream out, String id)
      throws IOException {
    out.write('{');
    boolean first = true;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      int nameStart = start(p);
      String name = p.currentName();
      JsonToken v = p.nextToken();
      int valueEnd = skipValue(p, b, v, start(p));
      if (!TAG.equals(name)) {
        if (!first) {
          out.write(',');
        }
        out.write(b, nameStart, valueEnd - nameStart);
        first = false;
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new IOException("unexpected " + t);
    }
    int end = end(p);
    if (!first) {
      out.write(',');
    }
    out.write(("\"" + TAG + "\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    return end;
  }

  /** Reads past a value, validating it; returns the offset just after it. */
  private static int skipValue(JsonParser p, byte[] b, JsonToken t, int start) throws IOException {
    switch (t) {
      case START_OBJECT:
      case START_ARRAY:
        int depth = 1;
        while (depth > 0) {
          JsonToken n = p.nextToken();
          if (n == null) {
            throw new IOException("unexpected end of input");
          }
          if (n == JsonToken.START_OBJECT || n == JsonToken.START_ARRAY) {
            depth++;
          } else if (n == JsonToken.END_OBJECT || n == JsonToken.END_ARRAY) {
            depth--;
          } else if (n == JsonToken.VALUE_STRING) {
            p.finishToken(); // decodes, so invalid UTF-8 is reported
          }
        }
        return end(p);
      case VALUE_STRING:
        p.finishToken();
        return stringEnd(b, start);
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return start + p.getText().length();
      case VALUE_TRUE:
      case VALUE_NULL:
        return start + 4;
      case VALUE_FALSE:
        return start + 5;
      default:
        throw new IOException("unexpected " + t);
    }
  }

  /** The offset after the closing quote of the string starting at {@code start}. */
  private static int stringEnd(byte[] b, int start) throws IOException {
    for (int i = start + 1; i < b.length; i++) {
      if (b[i] == '\\') {
        i++;
      } else if (b[i] == '"') {
        return i + 1;
      }
    }
    throw new IOException("unterminated string");
  }

  private static int start(JsonParser p) throws IOException {
    long offset = p.currentTokenLocation().getByteOffset();
    if (offset < 0) {
      throw new IOException("no byte offset");
    }
    return (int) offset;
  }

  private static int end(JsonParser p) throws IOException {
    long offset = p.currentLocation().getByteOffset();
    if (offset < 0) {
      throw new IOException("no byte offset");
    }
    return (int) offset;
  }

  private static boolean isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static boolean hasUtf8Bom(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
  }

  /** UTF-16 or UTF-32, by byte order mark or by the zero bytes of RFC 4627 section 3. */
  private static Charset wideCharset(byte[] b) {
    if (b.length < 2) {
      return null;
    }
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    int b2 = b.length > 2 ? b[2] & 0xff : -1;
    int b3 = b.length > 3 ? b[3] & 0xff : -1;
    if (b0 == 0 && b1 == 0 && (b2 == 0 || (b2 == 0xFE && b3 == 0xFF))) {
      return Charset.forName("UTF-32BE");
    }
    if (b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0) {
      return Charset.forName("UTF-32LE");
    }
    if (b0 != 0 && b1 == 0 && b2 == 0 && b3 == 0) {
      return Charset.forName("UTF-32LE");
    }
    if ((b0 == 0xFE && b1 == 0xFF) || (b0 == 0 && b1 != 0)) {
      return StandardCharsets.UTF_16BE;
    }
    if ((b0 == 0xFF && b1 == 0xFE) || (b0 != 0 && b1 == 0)) {
      return StandardCharsets.UTF_16LE;
    }
    return null;
  }
}
