package io.blnk.auth.cli;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.KeyOutcome;
import io.blnk.auth.KeyQuery;
import io.blnk.auth.KeyService;
import io.blnk.auth.jdbc.JdbcKeyStore;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code blnk-auth keys create|list|show|revoke|rotate}, acting as the master key. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create, list, show, revoke and rotate API keys (as the master key).",
    subcommands = {
      KeysCommand.Create.class,
      KeysCommand.ListKeys.class,
      KeysCommand.Show.class,
      KeysCommand.Revoke.class,
      KeysCommand.Rotate.class
    })
final class KeysCommand extends Sub implements Runnable {

  @Override
  public void run() {
    spec.commandLine().usage(root().err);
  }

  private static final List<String> LIST_HEADER =
      List.of("API_KEY_ID", "PREFIX", "NAME", "SCOPES", "EXPIRES_AT", "LAST_USED_AT", "STATUS");

  private static List<String> row(Map<String, Object> k) {
    return List.of(
        Output.text(k.get("api_key_id")),
        Output.text(k.get("key_prefix")) + "…",
        Output.text(k.get("name")),
        Output.text(k.get("scopes")),
        Output.text(k.get("expires_at")),
        Output.text(k.get("last_used_at")),
        Output.text(k.get("status")));
  }

  /** Prints a key just made, with its plaintext: the one secret the CLI ever prints. */
  private static void printCreated(BlnkAuthCli r, CreatedKey created, String verb) {
    Map<String, Object> m = Output.key(created.apiKey(), Instant.now());
    Map<String, Object> withKey = new java.util.LinkedHashMap<>();
    withKey.put("api_key_id", m.remove("api_key_id"));
    withKey.put("key", created.plaintext().reveal());
    withKey.putAll(m);
    if (r.json) {
      Output.json(r.out, withKey);
    } else {
      Output.fields(r.out, withKey);
      r.err.println(verb + ": store the key now; it cannot be shown again.");
    }
  }

  private static Instant parseInstant(String text, String option) {
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new CliException(option + " \"" + text + "\" is not an RFC 3339 time such as 2027-01-31T00:00:00Z");
    }
  }

  /** {@code 90d}, {@code 12h}, {@code 30m} or an ISO-8601 duration ({@code PT1H}). */
  static Duration parseDuration(String text, String option) {
    try {
      if (text.startsWith("P") || text.startsWith("p")) {
        return Duration.parse(text);
      }
      long n = Long.parseLong(text.substring(0, text.length() - 1));
      switch (text.charAt(text.length() - 1)) {
        case 'd':
          return Duration.ofDays(n);
        case 'h':
          return Duration.ofHours(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 's':
          return Duration.ofSeconds(n);
        default:
          break;
      }
    } catch (RuntimeException e) {
      // Reported below.
    }
    throw new CliException(option + " \"" + text + "\" is not a duration such as 90d, 12h or PT30M");
  }

  /** {@code --owner}: an empty one names none, which the service refuses as it did before. */
  static KeyQuery ownerQuery(String owner) {
    return owner.isEmpty() ? KeyQuery.anyOwner() : KeyQuery.owner(owner);
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key and print it, once.")
  static final class Create extends Sub implements Callable<Integer> {
    @Option(names = "--owner", required = true, description = "The owner the key belongs to.")
    String owner;

    @Option(names = "--name", required = true, description = "A label for people.")
    String name;

    @Option(
        names = "--scope",
        required = true,
        split = ",",
        paramLabel = "SCOPE",
        description = "resource:action, repeatable or comma-separated, e.g. ledgers:read,balances:*")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--expires-at", paramLabel = "TIME", description = "RFC 3339 expiry, e.g. 2027-01-31T00:00:00Z.")
    String expiresAt;

    @Option(names = "--expires-in", paramLabel = "DURATION", description = "Expiry from now, e.g. 90d or 12h.")
    String expiresIn;

    @Option(names = "--no-expiry", description = "A key that never expires.")
    boolean noExpiry;

    @Override
    public Integer call() {
      BlnkAuthCli r = root();
      int given = (expiresAt != null ? 1 : 0) + (expiresIn != null ? 1 : 0) + (noExpiry ? 1 : 0);
      if (given != 1) {
        throw new CliException("give exactly one of --expires-at, --expires-in and --no-expiry");
      }
      CreateKeyRequest.Builder request = CreateKeyRequest.builder().name(name).owner(owner).scopes(scopes);
      if (expiresAt != null) {
        request.expiresAt(parseInstant(expiresAt, "--expires-at"));
      } else if (expiresIn != null) {
        request.expiresAt(Instant.now().plus(parseDuration(expiresIn, "--expires-in")));
      }
      try (JdbcKeyStore store = r.store(true);
          BlnkAuth auth = r.auth(store, noExpiry)) {
        printCreated(r, auth.keys().create(BlnkPrincipal.master(), request.build()).orElseThrow(), "created");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List an owner's keys, newest first.")
  static final class ListKeys extends Sub implements Callable<Integer> {
    @Option(names = "--owner", required = true, description = "Whose keys.")
    String owner;

    @Override
    public Integer call() {
      BlnkAuthCli r = root();
      List<Map<String, Object>> keys = new ArrayList<>();
      try (JdbcKeyStore store = r.store(false);
          BlnkAuth auth = r.auth(store, false)) {
        Instant now = Instant.now();
        for (ApiKey k : auth.keys().list(BlnkPrincipal.master(), ownerQuery(owner)).orElseThrow()) {
          keys.add(Output.key(k, now));
        }
      }
      if (r.json) {
        Output.json(r.out, keys);
      } else if (keys.isEmpty()) {
        r.out.println("No keys for owner " + owner + ".");
      } else {
        List<List<String>> rows = new ArrayList<>();
        keys.forEach(k -> rows.add(row(k)));
        Output.table(r.out, LIST_HEADER, rows);
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one key (never its secret or hash).")
  static final class Show extends Sub implements Callable<Integer> {
    @Parameters(paramLabel = "API_KEY_ID", description = "e.g. api_key_879f0ecb-e29f-4137-801b-1048366381db")
    String id;

    @Override
    public Integer call() {
      BlnkAuthCli r = root();
      if (!ApiKeyId.isValid(id)) {
        throw new CliException("\"" + id + "\" is not an api_key_id (api_key_ followed by a UUID)");
      }
      ApiKey key;
      try (JdbcKeyStore store = r.store(false)) {
        key = store.findById(new ApiKeyId(id)).orElseThrow(() -> new CliException("no key " + id));
      }
      Map<String, Object> m = Output.key(key, Instant.now());
      if (r.json) {
        Output.json(r.out, m);
      } else {
        Output.fields(r.out, m);
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key (idempotent).")
  static final class Revoke extends Sub implements Callable<Integer> {
    @Parameters(paramLabel = "API_KEY_ID", description = "The key to revoke.")
    String id;

    @Override
    public Integer call() {
      BlnkAuthCli r = root();
      ApiKey revoked;
      try (JdbcKeyStore store = r.store(false);
          BlnkAuth auth = r.auth(store, false)) {
        revoked = auth.keys().revoke(BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow();
      }
      Map<String, Object> m = Output.key(revoked, Instant.now());
      if (r.json) {
        Output.json(r.out, m);
      } else {
        r.out.println("Revoked " + id + " at " + m.get("revoked_at") + ".");
      }
      return 0;
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = "Issue a new key with the same name, owner and scopes; the old one expires after a grace.")
  static final class Rotate extends Sub implements Callable<Integer> {
    @Parameters(paramLabel = "API_KEY_ID", description = "The key to rotate.")
    String id;

    @Option(names = "--grace", paramLabel = "DURATION", description = "How long the old key keeps working (default 24h).")
    String grace;

    @Override
    public Integer call() {
      BlnkAuthCli r = root();
      Optional<Duration> g = grace == null ? Optional.empty() : Optional.of(parseDuration(grace, "--grace"));
      try (JdbcKeyStore store = r.store(false);
          BlnkAuth auth = r.auth(store, true)) {
        KeyService keys = auth.keys();
        KeyOutcome<CreatedKey> rotated =
            g.isPresent()
                ? keys.rotate(BlnkPrincipal.master(), id, KeyQuery.anyOwner(), g.get())
                : keys.rotate(BlnkPrincipal.master(), id, KeyQuery.anyOwner());
        printCreated(r, rotated.orElseThrow(), "rotated " + id);
      }
      return 0;
    }
  }
}
