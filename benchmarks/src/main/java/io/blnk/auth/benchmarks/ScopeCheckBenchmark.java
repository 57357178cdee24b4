package io.blnk.auth.benchmarks;

import io.blnk.auth.internal.ScopeCompiler;
import io.blnk.auth.internal.ScopeMatcher;
import io.blnk.auth.scope.Action;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.scope.ScopeSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.shiro.authz.Permission;
import org.apache.shiro.authz.permission.WildcardPermission;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Claim 2 (SPEC §2): a scope check on a compiled scope set beside Apache Shiro's {@link
 * WildcardPermission#implies} on permissions built in advance, and beside a matcher that splits
 * the key's scope strings on every request. The key holds five scopes; the hit matches only the
 * last one and the miss ({@code search:write}) matches none.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScopeCheckBenchmark {

  private ScopeMatcher compiled;
  private io.blnk.auth.scope.Resource ledgers;
  private io.blnk.auth.scope.Resource search;
  private Action read;
  private Action write;

  private List<Permission> shiroGranted;
  private Permission shiroLedgersRead;
  private Permission shiroSearchWrite;

  private List<String> scopeStrings;
  private String ledgersName;
  private String searchName;
  private String readToken;
  private String writeToken;

  @Setup(Level.Trial)
  public void setUp() {
    ResourceRegistry registry = ResourceRegistry.blnkDefaults();
    compiled = ScopeCompiler.compile(ScopeSet.parse(Fixtures.FIVE_SCOPES), registry);
    ledgers = registry.find("ledgers").orElseThrow();
    search = registry.find("search").orElseThrow();
    read = Action.READ;
    write = Action.WRITE;

    shiroGranted = new ArrayList<>();
    for (String s : Fixtures.FIVE_SCOPES) {
      shiroGranted.add(new WildcardPermission(s, true));
    }
    shiroLedgersRead = new WildcardPermission("ledgers:read", true);
    shiroSearchWrite = new WildcardPermission("search:write", true);

    scopeStrings = List.copyOf(Fixtures.FIVE_SCOPES);
    ledgersName = "ledgers";
    searchName = "search";
    readToken = "read";
    writeToken = "write";

    Fixtures.require(compiledHit() && !compiledMiss(), "compiled: hit and miss");
    Fixtures.require(shiroHit() && !shiroMiss(), "shiro: hit and miss");
    Fixtures.require(splitHit() && !splitMiss(), "split: hit and miss");
  }

  @Benchmark
  public boolean compiledHit() {
    return compiled.allows(ledgers, read);
  }

  @Benchmark
  public boolean compiledMiss() {
    return compiled.allows(search, write);
  }

  @Benchmark
  public boolean shiroHit() {
    return shiroImplies(shiroGranted, shiroLedgersRead);
  }

  @Benchmark
  public boolean shiroMiss() {
    return shiroImplies(shiroGranted, shiroSearchWrite);
  }

  @Benchmark
  public boolean splitHit() {
    return SplitMatcher.allows(scopeStrings, ledgersName, readToken);
  }

  @Benchmark
  public boolean splitMiss() {
    return SplitMatcher.allows(scopeStrings, searchName, writeToken);
  }

  /** What Shiro's realms do: any granted permission that implies the requested one. */
  private static boolean shiroImplies(List<Permission> granted, Permission requested) {
    for (Permission p : granted) {
      if (p.implies(requested)) {
        return true;
      }
    }
    return false;
  }
}
