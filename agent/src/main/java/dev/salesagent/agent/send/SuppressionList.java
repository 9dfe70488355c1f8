package dev.salesagent.agent.send;

import java.util.Optional;

/**
 * Who must never be emailed. Addresses are stored only as {@link AddressHash}es (an erased person leaves no address
 * behind); do-not-contact domains are stored as they are. Blocking; writes are durable when they return.
 */
public interface SuppressionList {
  /** The entry that forbids emailing {@code email}, if any: its address hash, or its domain (or a parent domain). */
  Optional<Suppression> check(String email);

  /** Adds (or keeps) the address's hash. The first reason recorded wins. */
  void suppressAddress(String email, SuppressionReason reason, String source);

  /** Adds a do-not-contact domain ({@code example.com} also covers {@code mail.example.com}). */
  void suppressDomain(String domain, String source);

  /** The hash function of this installation (the same salt for every process on the database). */
  AddressHash hash();
}
