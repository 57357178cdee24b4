package io.blnk.auth.examples.spring;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The example ledger as a Spring Boot application. blnk-auth comes from the starter alone: its
 * auto-configuration finds the {@code DataSource}, creates the key table, and registers the filter.
 * The master key comes from {@code BLNK_SERVER_SECRET_KEY} (or {@code blnk.auth.master-key}).
 */
@SpringBootApplication
public class LedgerApplication {

  /** Starts the server (port 5001 unless {@code BLNK_SERVER_PORT} or {@code server.port}). */
  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(LedgerApplication.class);
    app.setDefaultProperties(Map.of("server.port", System.getenv().getOrDefault("BLNK_SERVER_PORT", "5001")));
    app.run(args);
  }
}
