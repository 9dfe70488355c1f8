package dev.salesagent.agent.qualify;

/** Why a lead must not be pursued. */
public enum DisqualifierCode {
  COMPETITOR, EXISTING_CUSTOMER, STUDENT_OR_JOB_SEEKER, NOT_A_BUSINESS, OPTED_OUT, OUT_OF_TERRITORY, OTHER;

  public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
