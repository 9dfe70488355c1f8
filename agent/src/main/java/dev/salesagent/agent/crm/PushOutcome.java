package dev.salesagent.agent.crm;

/**
 * How one record's push ended. {@code PUSHED}: the contact holds the results and, when there was a brief, the note is
 * written. {@code NOTE_FAILED}: the contact holds the results but the brief's note could not be written (a push again
 * writes it). {@code FAILED}: the contact was not written (nor the note). {@code error} says why (the CRM's category
 * and message), {@code retried} whether it came back from a partial batch failure and was sent on its own.
 */
public record PushOutcome(String email, Status status, String contactId, String noteId, boolean retried, String error) {
  public enum Status { PUSHED, NOTE_FAILED, FAILED }

  public String wire() {
    return status.name().toLowerCase(java.util.Locale.ROOT);
  }
}
