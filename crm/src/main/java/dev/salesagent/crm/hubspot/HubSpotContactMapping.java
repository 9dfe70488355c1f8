package dev.salesagent.crm.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.salesagent.agent.crm.PushRecord;
import dev.salesagent.agent.lead.ContactCleaner;
import dev.salesagent.agent.lead.EmployeeCount;
import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.lead.Regions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HubSpot contact properties ↔ the lead model. Reading: {@code email, firstname, lastname, company, jobtitle, phone}
 * (else {@code mobilephone}), {@code website, industry, numemployees, country} and {@code message} (the contact's
 * form message: the lead's notes), cleaned as an imported row is ({@link ContactCleaner}: E.164 phones with the
 * contact's country as region, a full name in {@code firstname} split, employee ranges kept). Writing: the lead's
 * cleaned contact fields (only those it has: an empty value never clears HubSpot's) plus the run's results in the
 * {@code sales_agent} property group ({@link #CUSTOM}).
 */
public final class HubSpotContactMapping {
  private HubSpotContactMapping() {}

  /** The properties a pull asks the search for. */
  public static final List<String> READ = List.of("email", "firstname", "lastname", "company", "jobtitle", "phone",
      "mobilephone", "website", "industry", "numemployees", "country", "message", "lifecyclestage", "createdate");

  public static final String GROUP = "sales_agent";
  public static final String GROUP_LABEL = "Sales Agent";

  /** A custom contact property: internal name, label, HubSpot type and field type, description. */
  public record PropertySpec(String name, String label, String type, String fieldType, String description) {}

  public static final List<PropertySpec> CUSTOM = List.of(
      new PropertySpec("sales_agent_score", "Sales Agent Score", "number", "number", "Lead score 0-100 (BANT evidence, computed by code)"),
      new PropertySpec("sales_agent_tier", "Sales Agent Tier", "string", "text", "hot, warm, cold or disqualified"),
      new PropertySpec("sales_agent_tier_reason", "Sales Agent Tier Reason", "string", "textarea", "Why the tier: thresholds, the ICP cap, a disqualifier with its quote"),
      new PropertySpec("sales_agent_next_action", "Sales Agent Next Action", "string", "text", "The configured next action for the tier"),
      new PropertySpec("sales_agent_icp_fit", "Sales Agent ICP Fit", "string", "text", "strong, partial or none"),
      new PropertySpec("sales_agent_draft_subject", "Sales Agent Draft Subject", "string", "text", "Subject of the approved outreach draft"),
      new PropertySpec("sales_agent_draft_body", "Sales Agent Draft Body", "string", "textarea", "The approved outreach draft as it would be sent"),
      new PropertySpec("sales_agent_run_id", "Sales Agent Run", "string", "text", "The run that wrote these values"));

  /** One search result as a lead, or an {@link IllegalArgumentException} saying why it cannot be one; warnings added to {@code warnings}. */
  public static Lead toLead(JsonNode contact, List<String> warnings) {
    JsonNode p = contact.path("properties");
    String id = contact.path("id").asText("?");
    String email = ContactCleaner.email(text(p, "email"));
    if (email == null || email.isBlank()) throw new IllegalArgumentException("contact " + id + " has no email");
    String where = "contact " + id + " (" + email + "): ";
    String first = text(p, "firstname");
    String last = text(p, "lastname");
    if (first != null && last == null && first.strip().contains(" ")) {
      ContactCleaner.Name n = ContactCleaner.splitName(first);
      first = n.first();
      last = n.last();
    }
    String country = text(p, "country");
    String rawPhone = text(p, "phone") != null ? text(p, "phone") : text(p, "mobilephone");
    ContactCleaner.Cleaned<String> phone = ContactCleaner.phone(rawPhone, Regions.of(country));
    ContactCleaner.Cleaned<EmployeeCount> employees = ContactCleaner.employees(text(p, "numemployees"));
    for (String w : phone.warnings()) warnings.add(where + w);
    for (String w : employees.warnings()) warnings.add(where + w);
    String notes = text(p, "message");
    if (notes != null && notes.length() > Lead.MAX_NOTES) {
      warnings.add(where + "message cut to " + Lead.MAX_NOTES + " characters");
      notes = notes.substring(0, Lead.MAX_NOTES);
    }
    try {
      return new Lead(null, first, last, email, text(p, "company"), text(p, "jobtitle"), phone.value(), text(p, "website"),
          text(p, "industry"), employees.value(), country, notes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage());
    }
  }

  /** The properties a push writes for a record: standard fields the lead has, then the run's results that exist. */
  public static Map<String, String> properties(PushRecord r) {
    Map<String, String> m = new LinkedHashMap<>();
    Lead l = r.lead();
    put(m, "firstname", l.firstName());
    put(m, "lastname", l.lastName());
    put(m, "company", l.company());
    put(m, "jobtitle", l.jobTitle());
    put(m, "phone", l.phone());
    put(m, "website", l.website());
    put(m, "industry", l.industry());
    put(m, "country", l.country());
    if (l.employees() != null) put(m, "numemployees", l.employees().hubspotOption());
    put(m, "sales_agent_score", r.score() == null ? null : r.score().toString());
    put(m, "sales_agent_tier", r.tier());
    put(m, "sales_agent_tier_reason", r.tierReason());
    put(m, "sales_agent_next_action", r.nextAction());
    put(m, "sales_agent_icp_fit", r.icpFit());
    put(m, "sales_agent_draft_subject", r.draftSubject());
    put(m, "sales_agent_draft_body", r.draftBody());
    put(m, "sales_agent_run_id", r.runId());
    return m;
  }

  /** The note a record's research brief becomes (HTML: HubSpot renders {@code hs_note_body} as rich text). */
  public static String noteBody(PushRecord r) {
    StringBuilder sb = new StringBuilder("<p><strong>Sales Agent research brief</strong>");
    if (r.runId() != null) sb.append(" (run ").append(escape(r.runId())).append(')');
    sb.append("</p>");
    for (String line : r.brief().split("\n")) sb.append("<p>").append(escape(line)).append("</p>");
    String s = sb.toString();
    return s.length() <= 65_536 ? s : s.substring(0, 65_536);
  }

  static List<String> names() {
    List<String> n = new ArrayList<>();
    for (PropertySpec s : CUSTOM) n.add(s.name());
    return n;
  }

  private static void put(Map<String, String> m, String k, String v) {
    if (v != null && !v.isBlank()) m.put(k, v);
  }

  private static String text(JsonNode p, String name) {
    JsonNode v = p.get(name);
    if (v == null || v.isNull()) return null;
    String s = v.asText().strip();
    return s.isEmpty() ? null : s;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
