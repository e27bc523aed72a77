package io.fedsecure.superlink.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fedsecure.superlink.config.SuperLinkProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The SuperLink's one SQLite database (registry, runs). Flyway and JdbcTemplate are Spring Boot's,
 * built on this DataSource.
 *
 * <p>A pool of exactly one connection: SQLite serialises writers anyway, so a single connection
 * costs nothing and rules out SQLITE_BUSY between our own threads. It also keeps a {@code :memory:}
 * database alive, since that database lives and dies with its connection.
 */
@Configuration(proxyBeanMethods = false)
public class SqliteDataSourceConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SqliteDataSourceConfiguration.class);
  static final String IN_MEMORY = ":memory:";

  @Bean(destroyMethod = "close")
  HikariDataSource dataSource(SuperLinkProperties properties) {
    String database = properties.database();
    if (database == null || database.isBlank()) {
      throw new IllegalArgumentException(
          "superlink.database (--database) must name a SQLite file or :memory:");
    }
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.enforceForeignKeys(true);
    sqlite.setBusyTimeout(5_000);
    String url;
    if (IN_MEMORY.equals(database)) {
      url = "jdbc:sqlite::memory:";
    } else {
      Path file = Path.of(database).toAbsolutePath();
      createParentDirectory(file);
      // WAL: readers (operator listings, actuator) don't wait for the writer.
      sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
      sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      url = "jdbc:sqlite:" + file;
    }
    SQLiteDataSource sqliteDataSource = new SQLiteDataSource(sqlite);
    sqliteDataSource.setUrl(url);

    HikariConfig pool = new HikariConfig();
    pool.setPoolName("sqlite");
    pool.setDataSource(sqliteDataSource);
    pool.setMaximumPoolSize(1);
    pool.setMinimumIdle(1);
    pool.setMaxLifetime(0); // never recycle the connection: it *is* an in-memory database
    pool.setIdleTimeout(0);
    log.info(
        "Database: {}",
        IN_MEMORY.equals(database) ? "in memory (state is lost on exit)" : url.substring(12));
    return new HikariDataSource(pool);
  }

  private static void createParentDirectory(Path file) {
    Path parent = file.getParent();
    if (parent == null) {
      return;
    }
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the database directory " + parent, e);
    }
  }
}
