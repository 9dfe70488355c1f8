package dev.salesagent.store.testing;

import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The databases every store test runs against: embedded H2 (file, so a test can close and reopen it) and a real
 * PostgreSQL server ({@link PostgresTestServer}). Use as {@code @ParameterizedTest @MethodSource(
 * "dev.salesagent.store.testing.TestDatabases#all")} with a {@link Kind} parameter, then {@link Kind#newUrl}.
 */
public final class TestDatabases {
  private TestDatabases() {}

  public enum Kind {
    H2 {
      @Override
      public String newUrl(String hint) {
        Path dir = Path.of("target", "h2-test", hint + "-" + UUID.randomUUID()).toAbsolutePath();
        return "jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE";
      }
    },
    POSTGRES {
      @Override
      public String newUrl(String hint) {
        return PostgresTestServer.get().newDatabaseUrl(hint);
      }
    };

    /** A fresh, empty database; opening the same URL again reaches the same data (for restart tests). */
    public abstract String newUrl(String hint);
  }

  public static Stream<Kind> all() {
    return Stream.of(Kind.H2, Kind.POSTGRES);
  }
}
