package dev.salesagent.agent.parse;

import dev.salesagent.agent.lead.Lead;
import dev.salesagent.agent.schema.Desc;
import dev.salesagent.agent.schema.Nullable;
import dev.salesagent.agent.schema.Size;

/**
 * Contact details parsed from a signature, a reply or free text. Every field is optional (null = not in the
 * text); at least one must be present; email and website must look like ones. That each value really occurs in the
 * text is checked by {@link ParseUseCase}.
 */
@Desc("Contact details found in the text; null for anything the text does not contain")
public record ContactCard(
    @Desc("Full name of the person") @Nullable @Size(max = 200) String name,
    @Desc("Job title") @Nullable @Size(max = 200) String title,
    @Desc("Company or organisation") @Nullable @Size(max = 200) String company,
    @Desc("Email address") @Nullable @dev.salesagent.agent.schema.Format("email") @Size(max = 254) String email,
    @Desc("Phone number as written") @Nullable @Size(max = 60) String phone,
    @Desc("Website domain, e.g. acme.com") @Nullable @dev.salesagent.agent.schema.Format("hostname") @Size(max = 200) String website) {

  public ContactCard {
    name = blankToNull(name);
    title = blankToNull(title);
    company = blankToNull(company);
    email = blankToNull(email);
    phone = blankToNull(phone);
    website = blankToNull(website);
    if (name == null && title == null && company == null && email == null && phone == null && website == null) {
      throw new IllegalArgumentException("no contact detail found: at least one field must be present");
    }
    if (email != null && !Lead.EMAIL.matcher(email).matches()) {
      throw new IllegalArgumentException("email '" + email + "' is not a valid address");
    }
    if (phone != null && phone.chars().filter(Character::isDigit).count() < 5) {
      throw new IllegalArgumentException("phone '" + phone + "' has fewer than 5 digits");
    }
    if (website != null && dev.salesagent.agent.lead.Company.domainOf(website) == null) {
      throw new IllegalArgumentException("website '" + website + "' is not a web address");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
