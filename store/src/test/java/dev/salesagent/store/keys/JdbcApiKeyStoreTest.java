package dev.salesagent.store.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.salesagent.router.keys.ApiKey;
import dev.salesagent.router.keys.ApiKeyStore;
import dev.salesagent.router.keys.CreatedKey;
import dev.salesagent.store.Database;
import dev.salesagent.store.testing.TestDatabases.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JdbcApiKeyStoreTest {

  @ParameterizedTest
  @MethodSource("dev.salesagent.store.testing.TestDatabases#all")
  void createFindRevoke(Kind kind) {
    try (Database db = Database.open(kind.newUrl("keys"))) {
      ApiKeyStore store = new JdbcApiKeyStore(db);
      CreatedKey created = store.create("ci", ApiKey.Scope.CLIENT, 5.0, 60);
      assertThat(created.plaintext()).startsWith("sk-sa-").hasSizeGreaterThan(40);
      assertThat(created.toString()).doesNotContain(created.plaintext());
      // never stored in clear
      String stored = db.jdbi().withHandle(h -> h.createQuery("SELECT key_hash FROM api_keys").mapTo(String.class).one());
      assertThat(stored).isNotEqualTo(created.plaintext()).hasSize(64);

      ApiKey found = store.findByPlaintext(created.plaintext()).orElseThrow();
      assertThat(found.id()).isEqualTo(created.key().id());
      assertThat(found.budgetUsd()).isEqualTo(5.0);
      assertThat(found.rpm()).isEqualTo(60);
      assertThat(found.prefix()).isEqualTo(created.plaintext().substring(0, 10));
      assertThat(store.findByPlaintext(created.plaintext() + "x")).isEmpty();
      assertThat(store.findByPlaintext("")).isEmpty();

      assertThat(store.revoke(found.id())).isTrue();
      assertThat(store.revoke(found.id())).isFalse();
      assertThat(store.findByPlaintext(created.plaintext()).orElseThrow().revoked()).isTrue();
      assertThat(store.list()).hasSize(1);
      assertThatThrownBy(() -> store.create(" ", null, null, null)).hasMessageContaining("name");
    }
  }
}
