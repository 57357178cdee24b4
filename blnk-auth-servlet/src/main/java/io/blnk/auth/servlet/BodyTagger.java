package io.blnk.auth.servlet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes {@code BLNK_GENERATED_BY} at every target of a strict UTF-8 JSON body by splicing bytes:
 * Jackson's streaming parser validates the whole body (RFC 8259, no duplicate member names, one
 * value) and reports where each value lies; everything else is copied byte for byte (numbers,
 * escapes, key order and whitespace unchanged).
 *
 * <p>A target is a {@link TagTargets.Pointer}: for every object the pattern's parent reaches (all
 * elements of an array for {@code *}), the named member is tagged: an object value keeps its
 * members, minus any {@code BLNK_GENERATED_BY}, and gains the tag last; any other value is
 * replaced by <code>{"BLNK_GENERATED_BY": id}</code>; an absent member is appended. Parents that
 * are absent or of another type are left alone. A body that is not one strict JSON value is
 * refused with {@link MalformedBody}. Thread-safe.
 */
final class BodyTagger {

  static final String TAG = "BLNK_GENERATED_BY";

  /** Thrown for a body that is not exactly one strict JSON value. */
  static final class MalformedBody extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedBody(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Strict, with duplicate names refused (a last-wins and a first-wins parser must not see
   * different tags). Numbers are copied as text, so their length needs no limit; nesting keeps
   * Jackson's default limit (1,000).
   */
  private final JsonFactory factory =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE).build())
          .build();

  /** One replacement of {@code [start, end)} by {@code bytes}. */
  private record Edit(int start, int end, byte[] bytes) {}

  /** A pattern and how many of its tokens the current value's path has matched. */
  private record Active(TagTargets.Pointer pointer, int matched) {
    boolean atParent() {
      return matched == pointer.size() - 1;
    }
  }

  /**
   * The tagged body: {@code json} itself when there is nothing to tag.
   *
   * @param json a UTF-8 body without byte order mark, not blank
   * @throws MalformedBody if it is not one strict JSON value
   */
  byte[] tag(byte[] json, String apiKeyId, List<TagTargets.Pointer> targets) throws MalformedBody {
    List<Edit> edits = new ArrayList<>();
    byte[] tagObject = ("{\"" + TAG + "\":\"" + apiKeyId + "\"}").getBytes(StandardCharsets.UTF_8);
    try (JsonParser p = factory.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new MalformedBody("Malformed JSON body: no value");
      }
      List<Active> root = new ArrayList<>(targets.size());
      for (TagTargets.Pointer ptr : targets) {
        root.add(new Active(ptr, 0));
      }
      value(p, json, t, root, edits, tagObject, apiKeyId);
      if (p.nextToken() != null) {
        throw new MalformedBody("Malformed JSON body: content after the value");
      }
    } catch (IOException e) {
      throw new MalformedBody("Malformed JSON body: " + Bodies.firstLine(e.getMessage(), "invalid"));
    }
    if (edits.isEmpty()) {
      return json;
    }
    edits.sort(Comparator.comparingInt(Edit::start));
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + edits.size() * (tagObject.length + 16));
    int copied = 0;
    for (Edit e : edits) {
      out.write(json, copied, e.start - copied);
      out.writeBytes(e.bytes);
      copied = e.end;
    }
    out.write(json, copied, json.length - copied);
    return out.toByteArray();
  }

  /** Validates the value starting with {@code t}, recording edits for targets inside it; returns its end. */
  private int value(
      JsonParser p, byte[] b, JsonToken t, List<Active> active, List<Edit> edits, byte[] tagObject, String id)
      throws IOException, MalformedBody {
    if (active.isEmpty()) {
      return skipValue(p, b, t, start(p));
    }
    if (t == JsonToken.START_OBJECT) {
      object(p, b, active, edits, tagObject, id);
      return end(p);
    } else if (t == JsonToken.START_ARRAY) {
      int index = 0;
      JsonToken n;
      while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
        if (n == null) {
          throw new IOException("unexpected end of input");
        }
        List<Active> children = new ArrayList<>();
        for (Active a : active) {
          String want = a.pointer().token(a.matched());
          if (!a.atParent() && (want.equals("*") || want.equals(Integer.toString(index)))) {
            children.add(new Active(a.pointer(), a.matched() + 1));
          }
        }
        value(p, b, n, children, edits, tagObject, id);
        index++;
      }
      return end(p);
    } else {
      return skipValue(p, b, t, start(p));
    }
  }

  private void object(
      JsonParser p, byte[] b, List<Active> active, List<Edit> edits, byte[] tagObject, String id)
      throws IOException, MalformedBody {
    int open = start(p);
    List<String> wanted = new ArrayList<>();
    for (Active a : active) {
      if (a.atParent()) {
        String name = a.pointer().token(a.matched());
        if (!wanted.contains(name)) {
          wanted.add(name);
        }
      }
    }
    List<String> found = new ArrayList<>();
    int lastValueEnd = -1;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      int valueStart = start(p);
      int valueEnd;
      if (wanted.contains(name)) {
        found.add(name);
        if (v == JsonToken.START_OBJECT) {
          ByteArrayOutputStream merged = new ByteArrayOutputStream();
          valueEnd = mergeInto(p, b, merged, id);
          edits.add(new Edit(valueStart, valueEnd, merged.toByteArray()));
        } else {
          valueEnd = skipValue(p, b, v, valueStart);
          edits.add(new Edit(valueStart, valueEnd, tagObject));
        }
      } else {
        List<Active> children = new ArrayList<>();
        for (Active a : active) {
          if (!a.atParent() && a.pointer().token(a.matched()).equals(name)) {
            children.add(new Active(a.pointer(), a.matched() + 1));
          }
        }
        if (children.isEmpty()) {
          valueEnd = skipValue(p, b, v, valueStart);
        } else {
          valueEnd = value(p, b, v, children, edits, tagObject, id);
        }
      }
      lastValueEnd = valueEnd;
    }
    if (t != JsonToken.END_OBJECT) {
      throw new IOException("unexpected " + t);
    }
    StringBuilder appended = new StringBuilder();
    for (String name : wanted) {
      if (!found.contains(name)) {
        boolean first = lastValueEnd < 0 && appended.length() == 0;
        appended.append(first ? "\"" : ",\"").append(escape(name)).append("\":")
            .append(new String(tagObject, StandardCharsets.UTF_8));
      }
    }
    if (appended.length() > 0) {
      int at = lastValueEnd < 0 ? open + 1 : lastValueEnd;
      edits.add(new Edit(at, at, appended.toString().getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** A member name as a JSON string body. */
  private static String escape(String name) {
    StringBuilder s = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '"' || c == '\\') {
        s.append('\\').append(c);
      } else if (c < 0x20) {
        s.append(String.format("\\u%04x", (int) c));
      } else {
        s.append(c);
      }
    }
    return s.toString();
  }

  /** Copies an object value's members except the tag, adds the tag; returns the value's end. */
  private static int mergeInto(JsonParser p, byte[] b, ByteArrayOutputStream out, String id) throws IOException {
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
    out.writeBytes(("\"" + TAG + "\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
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
}
