package io.blnk.auth.jdbc;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.store.KeyChangeListener;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link KeyStore} on any {@link DataSource}: PostgreSQL, MariaDB/MySQL or H2.
 *
 * <p>API skeleton agreed between modules; the implementation lands with the JDBC issue.
 */
public final class JdbcKeyStore implements KeyStore {

  private JdbcKeyStore(Builder b) {
    throw new UnsupportedOperationException("JdbcKeyStore is not implemented yet");
  }

  /** A builder for a store on {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  @Override
  public boolean insert(StoredKey key) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<StoredKey> findByLookupId(String lookupId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<ApiKey> findById(ApiKeyId id) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<ApiKey> listByOwner(OwnerId owner) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<ApiKey> revoke(ApiKeyId id, Instant at) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<ApiKey> rotate(StoredKey replacement, ApiKeyId old, Instant notAfter) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean replaceHash(ApiKeyId id, String expectedHash, String newHash) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void recordLastUsed(Map<ApiKeyId, Instant> lastUsed) {
    throw new UnsupportedOperationException();
  }

  @Override
  public AutoCloseable subscribe(KeyChangeListener listener) {
    throw new UnsupportedOperationException();
  }

  /** Configures a {@link JdbcKeyStore}. */
  public static final class Builder {
    private final DataSource dataSource;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The key table's name, default {@code blnk_api_keys}; may be schema-qualified. */
    public Builder tableName(String tableName) {
      return this;
    }

    /** How often non-PostgreSQL stores poll for changes made on other nodes. Default 1 s. */
    public Builder pollInterval(Duration interval) {
      return this;
    }

    /** Whether {@link #build()} runs the migrations. Default true. */
    public Builder migrate(boolean migrate) {
      return this;
    }

    /** Builds the store (running migrations if enabled) and starts its change feed. */
    public JdbcKeyStore build() {
      return new JdbcKeyStore(this);
    }
  }
}
