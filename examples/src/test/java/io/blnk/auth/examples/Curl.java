package io.blnk.auth.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the {@code curl} commands of the README with Java's HTTP client, so the walkthrough is
 * checked as written without needing curl on the machine. Understands exactly what the README
 * uses: {@code -s}, {@code -i}, {@code -X METHOD}, {@code -H 'Name: value'}, {@code -d 'body'},
 * single and double quotes, {@code $VARIABLES} outside single quotes, and line continuations.
 */
final class Curl {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private Curl() {}

  /** The response's status and body. */
  record Response(int status, String body) {}

  static Response run(String command, Map<String, String> variables, int port) throws Exception {
    List<String> words = words(command.replace("\\\n", " "), variables);
    if (words.isEmpty() || !words.get(0).equals("curl")) {
      throw new IllegalArgumentException("not a curl command: " + command);
    }
    String method = null;
    String body = null;
    String url = null;
    HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(30));
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      switch (w) {
        case "-s", "-i", "--silent", "--include" -> { }
        case "-X", "--request" -> method = words.get(++i);
        case "-H", "--header" -> {
          String h = words.get(++i);
          int colon = h.indexOf(':');
          request.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        case "-d", "--data" -> body = words.get(++i);
        default -> {
          if (w.startsWith("-")) {
            throw new IllegalArgumentException("curl option not understood by the test: " + w);
          }
          url = w;
        }
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("no URL in: " + command);
    }
    url = url.replace("localhost:5001", "localhost:" + port);
    if (method == null) {
      method = body == null ? "GET" : "POST";
    }
    request.uri(URI.create(url));
    request.method(
        method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }

  /** Splits a command line as a POSIX shell would, for the subset above. */
  static List<String> words(String line, Map<String, String> variables) {
    List<String> out = new ArrayList<>();
    StringBuilder word = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        if (word != null) {
          out.add(word.toString());
          word = null;
        }
        continue;
      }
      if (word == null) {
        word = new StringBuilder();
      }
      if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        word.append(line, i + 1, end);
        i = end;
      } else if (c == '"') {
        int end = line.indexOf('"', i + 1);
        word.append(expand(line.substring(i + 1, end), variables));
        i = end;
      } else if (c == '$') {
        int end = i + 1;
        while (end < line.length()
            && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
          end++;
        }
        word.append(value(line.substring(i + 1, end), variables));
        i = end - 1;
      } else {
        word.append(c);
      }
    }
    if (word != null) {
      out.add(word.toString());
    }
    return out;
  }

  private static String expand(String s, Map<String, String> variables) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '$') {
        out.append(c);
        continue;
      }
      int end = i + 1;
      while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
        end++;
      }
      out.append(value(s.substring(i + 1, end), variables));
      i = end - 1;
    }
    return out.toString();
  }

  private static String value(String name, Map<String, String> variables) {
    String v = variables.get(name);
    if (v == null) {
      throw new IllegalStateException("the README uses $" + name + " before setting it");
    }
    return v;
  }
}
