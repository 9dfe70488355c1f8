package dev.salesagent.agent.testing;

import dev.salesagent.agent.lead.Lead;

public final class Leads {
  private Leads() {}

  public static Lead vp() {
    return new Lead(null, "Dana", "Reyes", "dana.reyes@northwind-logistics.com", "Northwind Logistics", "VP of Sales",
        "+1 312 555 0142", "https://northwind-logistics.com", "Logistics and Supply Chain", dev.salesagent.agent.lead.EmployeeCount.exactly(850), "United States",
        "Inbound demo request: our reps take 2 days to answer web leads. Budget approved for Q1, evaluating tools this quarter.");
  }

  public static Lead student() {
    return new Lead(null, "Sam", "Ortiz", "sam.ortiz@gmail.com", "State University", "Student", null, null, "Education",
        null, "United States", "Researching CRM tools for a class project.");
  }
}
