package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tag targets: pointer patterns and the routes that choose them. */
final class TagTargetsTest {

  private static List<String> texts(List<TagTargets.Pointer> pointers) {
    return pointers.stream().map(TagTargets.Pointer::toString).toList();
  }

  @Test
  void pointersParseUnescapeAndPrintBack() {
    TagTargets.Pointer p = TagTargets.Pointer.parse("/a~1b/*/c~0d");
    assertThat(p.tokens()).containsExactly("a/b", "*", "c~d");
    assertThat(p.size()).isEqualTo(3);
    assertThat(p.token(0)).isEqualTo("a/b");
    assertThat(p.token(2)).isEqualTo("c~d");
    assertThat(p.toString()).isEqualTo("/a~1b/*/c~0d");
    assertThat(TagTargets.Pointer.parse("/m").tokens()).containsExactly("m");
    assertThat(TagTargets.Pointer.parse("/~01").tokens()).containsExactly("~1");
    assertThat(TagTargets.META_DATA.tokens()).containsExactly("meta_data");
  }

  @Test
  void badPointersAreRefusedWithTheText() {
    assertThatThrownBy(() -> TagTargets.Pointer.parse("/"))
        .hasMessage("a tag target is a JSON pointer such as /meta_data, was \"/\"");
    assertThatThrownBy(() -> TagTargets.Pointer.parse(""))
        .hasMessage("a tag target is a JSON pointer such as /meta_data, was \"\"");
    assertThatThrownBy(() -> TagTargets.Pointer.parse("meta_data"))
        .hasMessage("a tag target is a JSON pointer such as /meta_data, was \"meta_data\"");
    assertThatThrownBy(() -> TagTargets.Pointer.parse("/a~2"))
        .hasMessage("tag target \"/a~2\": '~' must be ~0 or ~1");
    assertThatThrownBy(() -> TagTargets.Pointer.parse("/a~"))
        .hasMessage("tag target \"/a~\": '~' must be ~0 or ~1");
    assertThatThrownBy(() -> TagTargets.Pointer.parse("/a/*"))
        .hasMessage("tag target \"/a/*\": the last token must name an object member");
    assertThatThrownBy(() -> TagTargets.Pointer.parse("/a/"))
        .hasMessage("tag target \"/a/\": the last token must name an object member");
    assertThatThrownBy(() -> TagTargets.Pointer.parse(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void routesSplitIntoCheckedSegments() {
    assertThat(TagTargets.routeSegments("/x")).containsExactly("x");
    assertThat(TagTargets.routeSegments("/transactions/bulk")).containsExactly("transactions", "bulk");
    assertThat(TagTargets.routeSegments("/transactions/bulk/")).containsExactly("transactions", "bulk");
    assertThat(TagTargets.routeSegments("/a/*/c")).containsExactly("a", "*", "c");
    assertThatThrownBy(() -> TagTargets.routeSegments("/"))
        .hasMessage("a tag route is a path such as /transactions/bulk, was \"/\"");
    assertThatThrownBy(() -> TagTargets.routeSegments("x/y"))
        .hasMessage("a tag route is a path such as /transactions/bulk, was \"x/y\"");
    assertThatThrownBy(() -> TagTargets.routeSegments("/a//b"))
        .hasMessage("tag route \"/a//b\" has an empty segment");
    assertThatThrownBy(() -> TagTargets.routeSegments("//"))
        .hasMessage("tag route \"//\" has an empty segment");
  }

  @Test
  void theFirstMatchingRouteWinsElseTheDefault() {
    Map<String, List<String>> routes = new LinkedHashMap<>();
    routes.put("/transactions/bulk", List.of("/transactions/*/meta_data", "/meta_data"));
    routes.put("/transactions/*", List.of("/x"));
    routes.put("/a/b/c", List.of("/abc"));
    routes.put("/*/b/*", List.of("/any_b"));
    TagTargets t = TagTargets.of(routes);

    assertThat(texts(t.forPath("/transactions/bulk"))).containsExactly("/transactions/*/meta_data", "/meta_data");
    assertThat(texts(t.forPath("/transactions/bulk/"))).containsExactly("/transactions/*/meta_data", "/meta_data");
    assertThat(texts(t.forPath("/transactions/one"))).containsExactly("/x");
    assertThat(texts(t.forPath("/a/b/c"))).containsExactly("/abc");
    assertThat(texts(t.forPath("/z/b/c"))).containsExactly("/any_b");
    assertThat(texts(t.forPath("/a/x/c"))).containsExactly("/meta_data");
    assertThat(texts(t.forPath("/a/c/x"))).containsExactly("/meta_data");
    assertThat(texts(t.forPath("/a/b/x"))).containsExactly("/any_b");
    assertThat(texts(t.forPath("/x/y"))).containsExactly("/meta_data");
    assertThat(texts(t.forPath("/transactions"))).containsExactly("/meta_data");
    assertThat(texts(t.forPath("/transactions/bulk/more/x"))).containsExactly("/meta_data");
    assertThat(t.forPath("/ledgers")).containsExactly(TagTargets.META_DATA);
    assertThat(t.toString()).isEqualTo(
        "TagTargets{[transactions, bulk]=[/transactions/*/meta_data, /meta_data], [transactions, *]=[/x],"
            + " [a, b, c]=[/abc], [*, b, *]=[/any_b]}");

    TagTargets defaults = TagTargets.defaults();
    assertThat(defaults.forPath("/transactions/bulk")).containsExactly(TagTargets.META_DATA);
    assertThat(defaults.toString()).isEqualTo("TagTargets{}");
    assertThat(TagTargets.of(Map.of()).forPath("/a")).containsExactly(TagTargets.META_DATA);
  }

  @Test
  void aRouteNeedsATarget() {
    assertThatThrownBy(() -> TagTargets.of(Map.of("/x", List.of())))
        .hasMessage("route \"/x\" needs at least one tag target");
    assertThatThrownBy(() -> TagTargets.of(Map.of("/x", List.of("x"))))
        .hasMessageContaining("JSON pointer");
  }
}
