package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.TestServer.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.AuthEvent;
import io.blnk.auth.AuthListener;
import io.blnk.auth.KeyQuery;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The client address behind a trusted proxy, over real HTTP: the test client connects from
 * 127.0.0.1, which the filter trusts as a proxy writing {@code X-Forwarded-For}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TrustedProxyHttpCases {

  abstract TestServer.Container container();

  final List<AuthEvent> events = new CopyOnWriteArrayList<>();
  TestServer server;

  @BeforeAll
  void start() throws Exception {
    AuthListener capture =
        new AuthListener() {
          @Override
          public void onEvent(AuthEvent event) {
            events.add(event);
          }
        };
    server =
        new TestServer(
            container(),
            true,
            b -> {},
            f -> f.trustedProxies(List.of("127.0.0.1", "10.0.0.0/8")),
            false,
            List.of(),
            null,
            capture);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @BeforeEach
  void clear() {
    events.clear();
  }

  private String addressSeenFor(String header, String value) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(server.uri("/ledgers")).GET().header("X-Blnk-Key", MASTER);
    if (header != null) {
      r.header(header, value);
    }
    assertThat(server.send(r.build()).statusCode()).isEqualTo(200);
    return events.stream()
        .filter(e -> e.type() == AuthEvent.Type.AUTH_SUCCEEDED)
        .reduce((a, b) -> b)
        .orElseThrow()
        .remoteAddress();
  }

  @Test
  void theRightMostUntrustedHopIsTheClient() throws Exception {
    assertThat(addressSeenFor("X-Forwarded-For", "198.51.100.7")).isEqualTo("198.51.100.7");
    assertThat(addressSeenFor("X-Forwarded-For", "198.51.100.8, 10.1.1.1")).isEqualTo("198.51.100.8");
    assertThat(addressSeenFor("X-Forwarded-For", "[2001:db8::1]:443")).isEqualTo("2001:db8::1");
  }

  @Test
  void aSpoofedLeftMostEntryIsNotBelieved() throws Exception {
    assertThat(addressSeenFor("X-Forwarded-For", "10.0.0.5, 198.51.100.9")).isEqualTo("198.51.100.9");
  }

  @Test
  void garbageMetPastTrustedHopsIsUnknown() throws Exception {
    assertThat(addressSeenFor("X-Forwarded-For", "198.51.100.1, not-an-address")).isEqualTo("unknown");
  }

  @Test
  void withoutTheHeaderTheProxyIsTheClientAndOtherHeadersAreIgnored() throws Exception {
    assertThat(addressSeenFor(null, null)).isEqualTo("127.0.0.1");
    assertThat(addressSeenFor("Forwarded", "for=198.51.100.3")).isEqualTo("127.0.0.1");
  }

  @Test
  void refusalsAreCountedAgainstTheForwardedClient() throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(server.uri("/ledgers"))
            .GET()
            .header("X-Blnk-Key", "blnk_nope")
            .header("X-Forwarded-For", "198.51.100.66")
            .build();
    assertThat(server.send(r).statusCode()).isEqualTo(401);
    assertThat(events)
        .filteredOn(e -> e.type() == AuthEvent.Type.AUTH_FAILED)
        .extracting(AuthEvent::remoteAddress)
        .containsExactly("198.51.100.66");
  }

  @Test
  void aKeysIpListIsCheckedAgainstTheForwardedClient() throws Exception {
    io.blnk.auth.CreatedKey k = server.createKey("ip-proxy", "ledgers:read");
    server.auth.keys()
        .update(
            io.blnk.auth.BlnkPrincipal.master(),
            k.apiKey().id().value(),
            KeyQuery.anyOwner(),
            io.blnk.auth.KeyUpdate.builder().allowedIps(List.of("198.51.100.0/24", "2001:db8:1::/48")).build()).orElseThrow();
    for (String[] c :
        new String[][] {
          {"198.51.100.7", "200"},
          {"198.51.100.7, 10.2.2.2", "200"},
          {"[2001:db8:1::5]:80", "200"},
          {"198.51.100.7, 203.0.113.1", "403"}, // the client is the right-most untrusted hop
          {"203.0.113.1", "403"},
          {"198.51.100.7, garbage", "403"}, // unknown is never inside a list
        }) {
      HttpRequest r =
          HttpRequest.newBuilder(server.uri("/ledgers"))
              .GET()
              .header("X-Blnk-Key", TestServer.key(k))
              .header("X-Forwarded-For", c[0])
              .build();
      java.net.http.HttpResponse<String> response = server.send(r);
      assertThat(response.statusCode()).as(c[0] + " " + response.body()).isEqualTo(Integer.parseInt(c[1]));
      if (c[1].equals("403")) {
        assertThat(response.body()).contains("AUTH_IP_NOT_ALLOWED");
      }
    }
    // without the header, the proxy itself (127.0.0.1) is outside the list
    HttpRequest direct =
        HttpRequest.newBuilder(server.uri("/ledgers")).GET().header("X-Blnk-Key", TestServer.key(k)).build();
    assertThat(server.send(direct).statusCode()).isEqualTo(403);
  }
}
