package dev.salesagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
  @Test
  void anEmbeddedH2FileIsClosedByUsUnlessTheUrlSaysOtherwise() {
    assertThat(Database.closedByUs("jdbc:h2:file:/data/db")).isEqualTo("jdbc:h2:file:/data/db;DB_CLOSE_ON_EXIT=FALSE");
    assertThat(Database.closedByUs("jdbc:h2:file:/data/db;CACHE_SIZE=8192"))
        .isEqualTo("jdbc:h2:file:/data/db;CACHE_SIZE=8192;DB_CLOSE_ON_EXIT=FALSE");
    assertThat(Database.closedByUs("jdbc:h2:./data/db;")).isEqualTo("jdbc:h2:./data/db;DB_CLOSE_ON_EXIT=FALSE");
  }

  @Test
  void explicitSettingsOtherModesAndOtherDatabasesAreLeftAlone() {
    for (String url : new String[] {"jdbc:h2:file:/data/db;db_close_on_exit=true", "jdbc:h2:file:/data/db;DB_CLOSE_ON_EXIT=FALSE",
        "jdbc:h2:file:/data/db;AUTO_SERVER=TRUE", "jdbc:h2:mem:test", "jdbc:h2:tcp://localhost/~/db",
        "jdbc:postgresql://localhost/sales?user=u&password=p"}) {
      assertThat(Database.closedByUs(url)).isEqualTo(url);
    }
  }
}
