package dev.salesagent.compat;

/**
 * One thing an import could not carry over as it was, and what to do about it. Every key of the source that is not
 * mapped one to one gets a note: nothing is dropped silently.
 *
 * @param where the source key, e.g. {@code litellm_settings.content_policy_fallbacks} or {@code model_list[2]}
 * @param what  what happened and what to do, in one sentence
 */
public record Note(String where, String what) {
  @Override
  public String toString() {
    return where + ": " + what;
  }
}
