package io.blnk.auth.cli;

import io.blnk.auth.jdbc.BlnkCoreImporter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code blnk-auth import-blnk --from <jdbc-url>}. */
@Command(
    name = "import-blnk",
    mixinStandardHelpOptions = true,
    header = "Import Blnk Core's api_keys table (idempotent, resumable).",
    description = {
      "Copy Blnk Core's api_keys table into the key table: ids, owners, scopes, expiry,",
      "revocation, timestamps and bcrypt hashes. Idempotent and resumable; lists every row it",
      "skips. Serve the imported keys with acceptBlnkCoreKeys(true) and a BlnkCoreHasher."
    })
final class ImportBlnkCommand extends Sub implements Callable<Integer> {

  /** The Blnk Core database password, when the URL does not hold it. */
  static final String ENV_FROM_PASSWORD = "BLNK_CORE_DB_PASSWORD";

  @Option(names = "--from", required = true, paramLabel = "JDBC_URL", description = "Blnk Core's database, read only.")
  String from;

  @Option(names = "--from-user", paramLabel = "USER", description = "Its user (password: $" + ENV_FROM_PASSWORD + ").")
  String fromUser;

  @Option(names = "--from-table", paramLabel = "NAME", description = "Blnk Core's table (default blnk.api_keys).")
  String fromTable = BlnkCoreImporter.DEFAULT_SOURCE_TABLE;

  @Option(names = "--page-size", paramLabel = "ROWS", description = "Rows per page and transaction (default 500).")
  int pageSize = 500;

  @Option(names = "--quiet", description = "No progress lines.")
  boolean quiet;

  @Override
  public Integer call() {
    BlnkAuthCli r = root();
    Properties props = new Properties();
    if (fromUser != null) {
      props.setProperty("user", fromUser);
    }
    String password = r.env.get(ENV_FROM_PASSWORD);
    if (password != null) {
      props.setProperty("password", password);
    }
    long started = System.nanoTime();
    BlnkCoreImporter.Report report;
    try (Connection blnk = DriverManager.getConnection(from, props)) {
      report =
          BlnkCoreImporter.builder(r.dataSource())
              .tableName(r.tableName())
              .sourceTable(fromTable)
              .pageSize(pageSize)
              .progress(
                  p -> {
                    if (!quiet) {
                      r.err.printf("read %d of %d rows%n", p.read(), p.total());
                      r.err.flush();
                    }
                  })
              .build()
              .run(blnk);
    } catch (SQLException e) {
      throw new CliException(
          "cannot connect to the Blnk Core database "
              + UrlDataSource.redact(from)
              + ": "
              + e.getClass().getSimpleName()
              + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]"));
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (r.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("read", report.read());
      m.put("imported", report.imported());
      m.put("already_present", report.alreadyPresent());
      m.put("revoked_since", report.revokedSince());
      List<Map<String, Object>> skipped = new ArrayList<>();
      for (BlnkCoreImporter.Skipped s : report.skipped()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", s.sourceRowId());
        row.put("api_key_id", s.apiKeyId());
        row.put("reason", s.reason().name());
        row.put("detail", s.detail());
        skipped.add(row);
      }
      m.put("skipped", skipped);
      m.put("seconds", Math.round(seconds * 1000) / 1000.0);
      Output.json(r.out, m);
    } else {
      r.out.printf(
          "Read %d rows: %d imported, %d already present, %d revoked since, %d skipped (%.1f s).%n",
          report.read(),
          report.imported(),
          report.alreadyPresent(),
          report.revokedSince(),
          report.skipped().size(),
          seconds);
      if (!report.skipped().isEmpty()) {
        List<List<String>> rows = new ArrayList<>();
        for (BlnkCoreImporter.Skipped s : report.skipped()) {
          rows.add(List.of(Long.toString(s.sourceRowId()), s.apiKeyId(), s.reason().name(), s.detail()));
        }
        Output.table(r.out, List.of("ID", "API_KEY_ID", "REASON", "DETAIL"), rows);
      }
    }
    return 0;
  }
}
