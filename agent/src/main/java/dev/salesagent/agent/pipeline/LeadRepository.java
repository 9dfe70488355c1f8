package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.lead.Lead;
import java.util.List;
import java.util.Optional;

/** Where leads live. Blocking: call it off the event loop. */
public interface LeadRepository {
  /** Inserts or updates by id (the id is derived from the email). */
  void upsert(List<Lead> leads);

  Optional<Lead> find(String id);

  List<Lead> findAll(List<String> ids);

  /** Ordered by email. */
  List<Lead> list(int offset, int limit);

  long count();

  boolean delete(String id);
}
