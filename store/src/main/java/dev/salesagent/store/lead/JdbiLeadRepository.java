package dev.salesagent.store.lead;

import dev.salesagent.agent.lead.EmployeeCount;
import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.pipeline.LeadRepository;
import dev.salesagent.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link LeadRepository} on the {@code leads} table (V3; owner column V5: {@code NULL} = the admins). A client actor's
 * queries carry {@code owner_key_id = :owner}; an admin's see every row. Blocking.
 */
public final class JdbiLeadRepository implements LeadRepository {
  private static final String COLS = "id, email, first_name, last_name, company, job_title, phone, website, industry, employees, employees_range, country, notes";
  private final Jdbi jdbi;

  public JdbiLeadRepository(Database db) {
    this.jdbi = db.jdbi();
  }

  @Override
  public void upsert(String owner, List<Lead> leads) {
    if (leads.isEmpty()) return;
    jdbi.useTransaction(h -> upsert(h, owner, leads));
  }

  /** {@link #upsert(String, List)} inside the caller's transaction. */
  static void upsert(org.jdbi.v3.core.Handle h, String owner, List<Lead> leads) {
    if (leads.isEmpty()) return;
    OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
    {
      var update = h.prepareBatch("UPDATE leads SET email = :email, first_name = :firstName, last_name = :lastName, "
          + "company = :company, job_title = :jobTitle, phone = :phone, website = :website, industry = :industry, "
          + "employees = :employees, employees_range = :employeesRange, country = :country, notes = :notes, updated_at = :now WHERE id = :id");
      for (Lead l : leads) bind(update, l, now).add();
      int[] counts = update.execute();
      var insert = h.prepareBatch("INSERT INTO leads (" + COLS + ", owner_key_id, created_at, updated_at) VALUES (:id, "
          + ":email, :firstName, :lastName, :company, :jobTitle, :phone, :website, :industry, :employees, :employeesRange, "
          + ":country, :notes, :owner, :now, :now)");
      boolean any = false;
      for (int i = 0; i < leads.size(); i++) {
        if (counts[i] == 0) {
          bind(insert, leads.get(i), now).bindByType("owner", owner, String.class).add();
          any = true;
        }
      }
      if (any) insert.execute();
    }
  }

  private static org.jdbi.v3.core.statement.PreparedBatch bind(org.jdbi.v3.core.statement.PreparedBatch b, Lead l, OffsetDateTime now) {
    return b.bind("id", l.id()).bind("email", l.email())
        .bindByType("firstName", l.firstName(), String.class).bindByType("lastName", l.lastName(), String.class)
        .bindByType("company", l.company(), String.class).bindByType("jobTitle", l.jobTitle(), String.class)
        .bindByType("phone", l.phone(), String.class).bindByType("website", l.website(), String.class)
        .bindByType("industry", l.industry(), String.class).bindByType("employees", l.employees() == null ? null : l.employees().min(), Integer.class)
        .bindByType("employeesRange", l.employees() == null || l.employees().exact() ? null : l.employees().toString(), String.class)
        .bindByType("country", l.country(), String.class).bindByType("notes", l.notes(), String.class)
        .bind("now", now);
  }

  @Override
  public Optional<Lead> find(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLS + " FROM leads WHERE id = :id").bind("id", id)
        .map(JdbiLeadRepository::map).findOne());
  }

  @Override
  public Optional<Lead> find(Actor who, String id) {
    return jdbi.withHandle(h -> owner(h.createQuery("SELECT " + COLS + " FROM leads WHERE id = :id" + tenant(who, " AND ")), who)
        .bind("id", id).map(JdbiLeadRepository::map).findOne());
  }

  /** The tenant condition for {@code who}: none for an admin, the owner column for a client key. */
  private static String tenant(Actor who, String joiner) {
    return who.admin() ? "" : joiner + "owner_key_id = :owner";
  }

  private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S owner(S statement, Actor who) {
    return who.admin() ? statement : statement.bind("owner", who.keyId());
  }

  @Override
  public List<Lead> findAll(List<String> ids) {
    if (ids.isEmpty()) return List.of();
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLS + " FROM leads WHERE id IN (<ids>)")
        .bindList("ids", ids).map(JdbiLeadRepository::map).list());
  }

  @Override
  public List<Lead> list(Actor who, int offset, int limit) {
    return jdbi.withHandle(h -> owner(h.createQuery("SELECT " + COLS + " FROM leads" + tenant(who, " WHERE ")
            + " ORDER BY email, id LIMIT :limit OFFSET :offset"), who).bind("limit", limit).bind("offset", offset)
        .map(JdbiLeadRepository::map).list());
  }

  @Override
  public long count(Actor who) {
    return jdbi.withHandle(h -> owner(h.createQuery("SELECT COUNT(*) FROM leads" + tenant(who, " WHERE ")), who)
        .mapTo(Long.class).one());
  }

  @Override
  public boolean delete(Actor who, String id) {
    return jdbi.withHandle(h -> owner(h.createUpdate("DELETE FROM leads WHERE id = :id" + tenant(who, " AND ")), who)
        .bind("id", id).execute()) > 0;
  }

  static Lead map(ResultSet rs, StatementContext ctx) throws SQLException {
    int emp = rs.getInt("employees");
    boolean noCount = rs.wasNull();
    String range = rs.getString("employees_range");
    EmployeeCount employees = range != null ? EmployeeCount.parse(range) : noCount ? null : EmployeeCount.exactly(emp);
    return new Lead(rs.getString("id"), rs.getString("first_name"), rs.getString("last_name"), rs.getString("email"),
        rs.getString("company"), rs.getString("job_title"), rs.getString("phone"), rs.getString("website"),
        rs.getString("industry"), employees, rs.getString("country"), rs.getString("notes"));
  }
}
