package dev.salesagent.agent.pipeline;

import dev.salesagent.agent.access.Actor;
import dev.salesagent.agent.lead.Lead;
import java.util.List;
import java.util.Optional;

/**
 * Where leads live, each with its owner (a client key's id, {@code null} = the admins; see {@link Actor}). Queries
 * made for someone take the {@link Actor} and see only what it may see; the by-id reads without one are for the
 * pipeline, which reads the leads of its own run. Blocking: call it off the event loop.
 */
public interface LeadRepository {
  /**
   * Inserts or updates by id. A new lead belongs to {@code ownerOrNull}; an update keeps the row's owner. Ids come
   * from {@link Actor#claim}, so a tenant cannot name another tenant's lead by accident.
   */
  void upsert(String ownerOrNull, List<Lead> leads);

  /** Any tenant's lead (the pipeline's read of its own run's leads). */
  Optional<Lead> find(String id);

  /** The lead if {@code who} may see it. */
  Optional<Lead> find(Actor who, String id);

  /** Any tenant's leads (the pipeline's export of its own run). */
  List<Lead> findAll(List<String> ids);

  /** The leads {@code who} may see, ordered by email. */
  List<Lead> list(Actor who, int offset, int limit);

  long count(Actor who);

  /** Deletes the lead if {@code who} may see it. */
  boolean delete(Actor who, String id);
}
