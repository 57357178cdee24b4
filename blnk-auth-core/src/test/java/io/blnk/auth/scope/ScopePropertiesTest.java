package io.blnk.auth.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/** The laws of SPEC §2 and §11 as jqwik properties. */
final class ScopePropertiesTest {

  /** Few distinct segments, so that generated scopes often share a resource. */
  private static final List<String> SEGMENTS = List.of("a", "b", "ab", "0", "x1", "ledgers");

  // ---- generators ---------------------------------------------------------------------------

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.oneOf(
        Arbitraries.of(SEGMENTS)
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(parts -> String.join("-", parts)),
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('0', '9')
            .ofMinLength(1)
            .ofMaxLength(6)
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(parts -> String.join("-", parts)));
  }

  @Provide
  Arbitrary<String> resourceTokens() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Scope.WILDCARD)),
        net.jqwik.api.Tuple.of(4, names()));
  }

  @Provide
  Arbitrary<String> actionTokens() {
    return Arbitraries.of("*", "read", "write", "delete");
  }

  @Provide
  Arbitrary<Scope> scopes() {
    return Combinators.combine(resourceTokens(), actionTokens()).as(Scope::new);
  }

  @Provide
  Arbitrary<String> validTexts() {
    return Combinators.combine(resourceTokens(), actionTokens()).as((r, a) -> r + ":" + a);
  }

  @Provide
  Arbitrary<ScopeSet> scopeSets() {
    return scopes().list().ofMaxSize(5).map(ScopeSet::new);
  }

  @Provide
  Arbitrary<Action> actions() {
    return Arbitraries.of(Action.class);
  }

  // ---- round trip ---------------------------------------------------------------------------

  @Property(tries = 1000)
  void printingAndParsingAScopeGivesItBack(@ForAll("scopes") Scope scope) {
    assertThat(Scope.parse(scope.toString())).isEqualTo(scope);
  }

  @Property(tries = 1000)
  void aValidTextPrintsBackExactly(@ForAll("validTexts") String text) {
    assertThat(Scope.parse(text).toString()).isEqualTo(text);
  }

  /** Whatever the parser accepts is already canonical: no lenient forms such as Shiro's. */
  @Property(tries = 3000)
  void anyAcceptedTextIsCanonical(
      @ForAll
          @StringLength(max = 12)
          @Chars({':', '-', '*', ' ', '\t', 'ı', 'İ', 'é', 'R', 'E', 'A', 'D'})
          @CharRange(from = 'a', to = 'z')
          @CharRange(from = '0', to = '9')
          String text) {
    Scope parsed;
    try {
      parsed = Scope.parse(text);
    } catch (IllegalArgumentException rejected) {
      assertThat(rejected.getMessage()).contains("invalid scope");
      return;
    }
    assertThat(parsed.toString()).isEqualTo(text);
  }

  @Property(tries = 300)
  void aSetPrintsAndParsesBack(@ForAll("scopeSets") ScopeSet set) {
    assertThat(ScopeSet.parse(set.toStrings())).isEqualTo(set);
  }

  // ---- coverage laws ------------------------------------------------------------------------

  @Property(tries = 1000)
  void coverageIsReflexive(@ForAll("scopes") Scope scope) {
    assertThat(scope.covers(scope)).isTrue();
  }

  @Property(tries = 3000)
  void coverageIsTransitive(
      @ForAll("scopes") Scope a, @ForAll("scopes") Scope b, @ForAll("scopes") Scope c) {
    if (a.covers(b) && b.covers(c)) {
      assertThat(a.covers(c)).isTrue();
    }
  }

  @Property(tries = 1000)
  void coverageIsTransitiveAlongGeneratedChains(
      @ForAll("scopes") Scope c, @ForAll boolean widenResource, @ForAll boolean widenAction) {
    // Build b covering c and a covering b, then check a covers c.
    Scope b = new Scope(widenResource ? "*" : c.resource(), c.action());
    Scope a = new Scope(b.resource(), widenAction ? "*" : b.action());

    assertThat(a.covers(b)).isTrue();
    assertThat(b.covers(c)).isTrue();
    assertThat(a.covers(c)).isTrue();
  }

  @Property(tries = 1000)
  void coverageIsAntisymmetric(@ForAll("scopes") Scope a, @ForAll("scopes") Scope b) {
    if (a.covers(b) && b.covers(a)) {
      assertThat(a).isEqualTo(b);
    }
  }

  @Property(tries = 1000)
  void everythingIsCoveredByTheUniversalScope(@ForAll("scopes") Scope scope) {
    assertThat(Scope.ALL.covers(scope)).isTrue();
    assertThat(ScopeSet.of(Scope.ALL).covers(scope)).isTrue();
  }

  @Property(tries = 1000)
  void onlyTheUniversalScopeCoversTheUniversalScope(@ForAll("scopes") Scope scope) {
    assertThat(scope.covers(Scope.ALL)).isEqualTo(scope.equals(Scope.ALL));
  }

  @Property(tries = 1000)
  void allowsAgreesWithCovers(
      @ForAll("scopes") Scope scope, @ForAll("names") String resource, @ForAll("actions") Action a) {
    assertThat(scope.allows(resource, a)).isEqualTo(scope.covers(Scope.of(resource, a)));
  }

  // ---- delegation ---------------------------------------------------------------------------

  @Property(tries = 2000)
  void delegationIsTransitive(
      @ForAll("scopeSets") ScopeSet a,
      @ForAll("scopeSets") ScopeSet b,
      @ForAll("scopeSets") ScopeSet c) {
    if (a.coversAll(b) && b.coversAll(c)) {
      assertThat(a.coversAll(c)).isTrue();
    }
  }

  /** What a key may grant never exceeds what it holds: every grantable request is its own. */
  @Property(tries = 1000)
  void aGrantableSetNeverAllowsMoreThanItsGrantor(
      @ForAll("scopeSets") ScopeSet holder,
      @ForAll("scopeSets") ScopeSet asked,
      @ForAll("scopes") Scope request) {
    if (holder.coversAll(asked)) {
      if (asked.covers(request)) {
        assertThat(holder.covers(request)).isTrue();
      }
    } else {
      assertThat(holder.firstUncovered(asked)).isPresent();
    }
  }

  /** Every subset of what a set covers may be granted by it, including its own members. */
  @Property(tries = 1000)
  void aSetMayGrantAnythingItCovers(
      @ForAll("scopeSets") ScopeSet holder, @ForAll("scopeSets") ScopeSet candidates) {
    List<Scope> grantable = new ArrayList<>(holder.scopes());
    for (Scope s : candidates.scopes()) {
      if (holder.covers(s)) {
        grantable.add(s);
      }
    }
    assertThat(holder.coversAll(new ScopeSet(grantable))).isTrue();
    assertThat(holder.coversAll(holder)).isTrue();
  }

  // ---- the compiled matcher -----------------------------------------------------------------

  @Provide
  Arbitrary<ResourceRegistry> registries() {
    return names()
        .set()
        .ofMinSize(1)
        .ofMaxSize(8)
        .map(names -> ResourceRegistry.builder().addAll(names).build());
  }

  @Property(tries = 500)
  void theCompiledMatcherAgreesWithThePlainDefinition(
      @ForAll("registries") ResourceRegistry registry, @ForAll("scopeSets") ScopeSet set) {
    CompiledScopes compiled = set.compile(registry);

    for (Resource resource : registry.resources()) {
      for (Action action : Action.values()) {
        assertThat(compiled.allows(resource, action))
            .as("%s allows %s:%s", set, resource, action.token())
            .isEqualTo(set.covers(Scope.of(resource.name(), action)));
      }
    }
    assertThat(compiled.scopes()).isEqualTo(set);
  }

  @Property(tries = 300)
  void theCompiledMatcherAgreesOnTheDefaultRegistry(@ForAll("blnkScopeSets") ScopeSet set) {
    ResourceRegistry registry = ResourceRegistry.blnkDefaults();
    CompiledScopes compiled = set.compile(registry);

    for (Resource resource : registry.resources()) {
      for (Action action : Action.values()) {
        assertThat(compiled.allows(resource, action))
            .isEqualTo(set.covers(Scope.of(resource.name(), action)));
      }
    }
  }

  @Provide
  Arbitrary<ScopeSet> blnkScopeSets() {
    Arbitrary<String> resources =
        Arbitraries.oneOf(
            Arbitraries.of(ResourceRegistry.BLNK_RESOURCES), Arbitraries.just("*"));
    return Combinators.combine(resources, actionTokens())
        .as(Scope::new)
        .list()
        .ofMaxSize(6)
        .map(ScopeSet::new);
  }

  /**
   * A resource that is not the registry's own instance (another registry, or built by hand) is
   * judged by its name, never by a slot that belongs to another resource.
   */
  @Property(tries = 300)
  void theCompiledMatcherJudgesAForeignResourceByItsName(
      @ForAll("registries") ResourceRegistry registry,
      @ForAll("scopeSets") ScopeSet set,
      @ForAll("names") String name,
      @ForAll("actions") Action action) {
    CompiledScopes compiled = set.compile(registry);
    boolean plain = set.covers(Scope.of(name, action));

    for (int index = 0; index <= registry.size(); index++) {
      Resource foreign = new Resource(name, false, index);
      boolean known = registry.find(name).isPresent();
      // A name the registry lacks can only be allowed through a wildcard resource.
      boolean expected = known ? plain : set.covers(new Scope("*", action.token()));
      assertThat(compiled.allows(foreign, action))
          .as("%s allows foreign %s#%d:%s", set, name, index, action.token())
          .isEqualTo(expected);
    }
  }
}
