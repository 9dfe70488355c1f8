package dev.salesagent.agent.send;

/**
 * Points between the steps of one send, for observing them (progress lines) and for the crash tests, which stop the
 * process there. Called on the sending thread.
 */
public interface SendHooks {
  SendHooks NONE = new SendHooks() {};

  /** The send is recorded (durably) and about to go to the SMTP server. */
  default void recorded(String messageId) {}

  /** The SMTP server accepted it; the record is not marked yet. */
  default void accepted(String messageId) {}
}
