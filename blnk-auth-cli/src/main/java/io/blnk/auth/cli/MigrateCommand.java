package io.blnk.auth.cli;

import io.blnk.auth.jdbc.JdbcKeyStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code blnk-auth migrate}. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = "Create or upgrade the key table (safe to run again, and from several nodes).")
final class MigrateCommand extends Sub implements Callable<Integer> {

  @Override
  public Integer call() {
    BlnkAuthCli r = root();
    int version = JdbcKeyStore.migrate(r.dataSource(), r.tableName());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("table", r.tableName());
    m.put("schema_version", version);
    if (r.json) {
      Output.json(r.out, m);
    } else {
      r.out.println("Table " + r.tableName() + " is at schema version " + version + ".");
    }
    return 0;
  }
}
