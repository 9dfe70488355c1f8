package dev.salesagent.emulator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The HubSpot CRM v3 emulator's public face and its in-memory state: contacts (unique by email), contact properties and
 * property groups (HubSpot's default contact properties plus the ones created), notes with their contact
 * associations, the private-app token it accepts, the 10-second rate-limit window and the scripted faults. Thread-safe
 * (every method synchronises on this object): the emulator's servers run on several event loops. The wire format is
 * in {@link HubSpotRoutes}; the contract in {@code emulator/README.md} ("HubSpot CRM v3").
 */
public final class HubSpotEmulator {
  /** The private-app token the emulator accepts unless {@link #requireToken} says otherwise. */
  public static final String DEFAULT_TOKEN = "pat-emulator-0000";

  /** Faults of the HubSpot endpoints (the chat faults do not apply here). */
  public enum HubSpotFault {
    /** 429 {@code RATE_LIMIT} with the {@code X-HubSpot-RateLimit-*} headers; the current window is used up. */
    RATE_LIMIT,
    /** 500 {@code INTERNAL_ERROR}. */
    SERVER_ERROR,
    /** 502 Bad Gateway with an HTML body, as HubSpot's edge sends it. */
    BAD_GATEWAY,
    /** 401 {@code INVALID_AUTHENTICATION}, whatever the token. */
    UNAUTHORIZED,
    /** Batch upsert only: every input at an odd index (1, 3, …) fails; answered 207 with the errors. */
    PARTIAL_FAILURE;

    public static HubSpotFault parse(String s) {
      if (s == null || s.isBlank()) return null;
      String n = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (HubSpotFault f : values()) if (f.name().equals(n)) return f;
      return null;
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A stored contact: HubSpot's numeric id (as a string), its property values, created and updated instants. */
  public record Contact(String id, Map<String, String> properties, Instant createdAt, Instant updatedAt) {}

  /** A stored note and the contact ids it is associated with (association type 202, note to contact). */
  public record Note(String id, Map<String, String> properties, List<String> contactIds, Instant createdAt, Instant updatedAt) {}

  /** A contact property definition; {@code options} are the allowed values of an enumeration (empty = any). */
  public record Property(String name, String label, String type, String fieldType, String groupName, String description,
                         List<String> options, boolean custom, Instant createdAt) {
    public Property {
      options = options == null ? List.of() : List.copyOf(options);
    }

    /** Why HubSpot would refuse {@code value} for this property, or null. */
    public String refuse(String value) {
      if (value == null || value.isEmpty()) return null;
      if (type.equals("number")) {
        try {
          new java.math.BigDecimal(value);
        } catch (NumberFormatException e) {
          return value + " is not a valid number";
        }
      }
      if (type.equals("enumeration") && !options.isEmpty()) {
        for (String v : value.split(";")) if (!options.contains(v)) return v + " was not one of the allowed options: " + options;
      }
      return null;
    }
  }

  /** A property group. */
  public record Group(String name, String label, int displayOrder) {}

  private static final String[][] DEFAULT_PROPERTIES = {
      {"email", "Email", "string", "text"}, {"firstname", "First Name", "string", "text"},
      {"lastname", "Last Name", "string", "text"}, {"company", "Company Name", "string", "text"},
      {"jobtitle", "Job Title", "string", "text"}, {"phone", "Phone Number", "string", "phonenumber"},
      {"website", "Website URL", "string", "text"}, {"industry", "Industry", "string", "text"},
      {"numemployees", "Number of Employees", "enumeration", "select"}, {"country", "Country/Region", "string", "text"},
      {"message", "Message", "string", "textarea"}, {"lifecyclestage", "Lifecycle Stage", "enumeration", "radio"},
      {"hs_lead_status", "Lead Status", "enumeration", "radio"}, {"createdate", "Create Date", "datetime", "date"},
      {"lastmodifieddate", "Last Modified Date", "datetime", "date"},
      {"hs_object_id", "Record ID", "number", "number"}};

  private final LongSupplier clockMs;
  private final Map<String, Contact> contactsById = new LinkedHashMap<>();
  private final Map<String, String> idByEmail = new LinkedHashMap<>();
  private final Map<String, Property> properties = new LinkedHashMap<>();
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final List<Note> notes = new ArrayList<>();
  private final Deque<Queued> queued = new ArrayDeque<>();

  private record Queued(HubSpotFault fault, String endpoint) {}
  private final Map<String, Integer> requests = new LinkedHashMap<>();
  private final Map<String, String> lastBodies = new LinkedHashMap<>();
  private long nextId = 101;
  private String token = DEFAULT_TOKEN;
  private int windowMax = 100;
  private long intervalMs = 10_000;
  private long windowStart = -1;
  private int windowUsed;
  private long dailyUsed;

  HubSpotEmulator(LongSupplier clockMs) {
    this.clockMs = clockMs;
    reset();
  }

  /** Forgets every contact, note, created property and group, queued fault and request count; the token and rate limit stay. */
  public synchronized void reset() {
    contactsById.clear();
    idByEmail.clear();
    properties.clear();
    groups.clear();
    notes.clear();
    queued.clear();
    requests.clear();
    lastBodies.clear();
    windowStart = -1;
    windowUsed = 0;
    groups.put("contactinformation", new Group("contactinformation", "Contact information", 0));
    Instant epoch = Instant.parse("2020-01-01T00:00:00Z");
    for (String[] p : DEFAULT_PROPERTIES) {
      List<String> options = switch (p[0]) {
        case "numemployees" -> List.of("1-5", "5-25", "25-50", "50-100", "100-500", "500-1000", "1000+");
        case "lifecyclestage" -> List.of("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
            "customer", "evangelist", "other");
        default -> List.of();
      };
      properties.put(p[0], new Property(p[0], p[1], p[2], p[3], "contactinformation", "", options, false, epoch));
    }
  }

  /** Only {@code Authorization: Bearer <token>} is accepted (default {@link #DEFAULT_TOKEN}). */
  public synchronized HubSpotEmulator requireToken(String token) {
    if (token == null || token.isBlank()) throw new IllegalArgumentException("token is required");
    this.token = token;
    return this;
  }

  public synchronized String token() {
    return token;
  }

  /** At most {@code max} requests per window of {@code intervalMs} (HubSpot: 100 or 190 per 10 s); default 100 / 10 000 ms. */
  public synchronized HubSpotEmulator rateLimit(int max, long intervalMs) {
    if (max < 1 || intervalMs < 1) throw new IllegalArgumentException("max and interval must be positive");
    this.windowMax = max;
    this.intervalMs = intervalMs;
    this.windowStart = -1;
    this.windowUsed = 0;
    return this;
  }

  /** The next {@code times} HubSpot requests (batch upserts only, for {@link HubSpotFault#PARTIAL_FAILURE}) get {@code fault}. */
  public synchronized HubSpotEmulator next(HubSpotFault fault, int times) {
    return nextOn(null, fault, times);
  }

  /**
   * As {@link #next}, for requests to one endpoint only ({@code "POST /crm/v3/objects/notes"}, as {@link #requests()}
   * names them; null = any). Queued faults apply in order: a request takes the first entry that fits it.
   */
  public synchronized HubSpotEmulator nextOn(String endpoint, HubSpotFault fault, int times) {
    if (fault == null) throw new IllegalArgumentException("fault is required");
    for (int i = 0; i < times; i++) queued.add(new Queued(fault, endpoint));
    return this;
  }

  public synchronized int pendingFaults() {
    return queued.size();
  }

  /** Adds a contact as if created in HubSpot at {@code createdAt} (tests and demos seed the CRM this way). */
  public synchronized Contact seed(Map<String, String> props, Instant createdAt) {
    String email = props.get("email");
    if (email == null || email.isBlank()) throw new IllegalArgumentException("a contact needs an email");
    return upsert(email.toLowerCase(Locale.ROOT), props, createdAt).contact();
  }

  public synchronized Optional<Contact> contactByEmail(String email) {
    String id = idByEmail.get(email.toLowerCase(Locale.ROOT));
    return Optional.ofNullable(id == null ? null : contactsById.get(id));
  }

  public synchronized List<Contact> contacts() {
    return List.copyOf(contactsById.values());
  }

  public synchronized List<Note> notes() {
    return List.copyOf(notes);
  }

  public synchronized List<Note> notesFor(String contactId) {
    return notes.stream().filter(n -> n.contactIds().contains(contactId)).toList();
  }

  public synchronized Optional<Property> property(String name) {
    return Optional.ofNullable(properties.get(name));
  }

  public synchronized Optional<Group> group(String name) {
    return Optional.ofNullable(groups.get(name));
  }

  /** Requests received per endpoint ({@code "POST /crm/v3/objects/contacts/batch/upsert"} → N), 401/429/faulted ones included. */
  public synchronized Map<String, Integer> requests() {
    return Map.copyOf(requests);
  }

  public synchronized int requests(String endpoint) {
    return requests.getOrDefault(endpoint, 0);
  }

  // ---- used by HubSpotRoutes -------------------------------------------------------------------------------------

  synchronized void count(String endpoint, String body) {
    requests.merge(endpoint, 1, Integer::sum);
    lastBodies.put(endpoint, body);
  }

  /** The body of the last request to {@code endpoint} (as {@link #requests()} names it), for contract tests. */
  public synchronized Optional<String> lastBody(String endpoint) {
    return Optional.ofNullable(lastBodies.get(endpoint));
  }

  /** A queued {@code partial_failure} fits batch upserts, and note batch creates only when queued for that endpoint. */
  synchronized HubSpotFault takeFault(String endpoint, boolean batchUpsert, boolean batchCreate) {
    for (var it = queued.iterator(); it.hasNext(); ) {
      Queued q = it.next();
      if (q.endpoint() != null && !q.endpoint().equals(endpoint)) continue;
      if (q.fault() == HubSpotFault.PARTIAL_FAILURE && !batchUpsert && !(batchCreate && q.endpoint() != null)) continue;
      it.remove();
      return q.fault();
    }
    return null;
  }

  synchronized boolean tokenMatches(String t) {
    return token.equals(t);
  }

  /** The rate-limit state after counting this request: {@code remaining < 0} means over the limit (429). */
  record Window(int max, long intervalMs, int remaining, long daily, long dailyRemaining) {}

  synchronized Window admit() {
    long now = clockMs.getAsLong();
    if (windowStart < 0 || now - windowStart >= intervalMs) {
      windowStart = now;
      windowUsed = 0;
    }
    windowUsed++;
    dailyUsed++;
    return window();
  }

  /** A {@link HubSpotFault#RATE_LIMIT}: the window is used up, as if the client had sent too much. */
  synchronized Window exhaust() {
    if (windowStart < 0) windowStart = clockMs.getAsLong();
    windowUsed = windowMax + 1;
    return window();
  }

  private Window window() {
    return new Window(windowMax, intervalMs, windowMax - windowUsed, 250_000, Math.max(0, 250_000 - dailyUsed));
  }

  synchronized Instant now() {
    return Instant.ofEpochMilli(clockMs.getAsLong());
  }

  /** The result of one upsert: the contact and whether it was created. */
  record Upserted(Contact contact, boolean created) {}

  synchronized Upserted upsert(String email, Map<String, String> props, Instant at) {
    String id = idByEmail.get(email);
    Contact old = id == null ? null : contactsById.get(id);
    Map<String, String> merged = new LinkedHashMap<>(old == null ? Map.of() : old.properties());
    for (Map.Entry<String, String> e : props.entrySet()) {
      if (e.getValue() == null || e.getValue().isEmpty()) merged.remove(e.getKey()); // "" clears a value
      else merged.put(e.getKey(), e.getValue());
    }
    boolean created = old == null;
    if (created) id = Long.toString(nextId++);
    merged.put("email", email);
    merged.put("hs_object_id", id);
    Instant createdAt = created ? at : old.createdAt();
    merged.put("createdate", createdAt.toString());
    merged.put("lastmodifieddate", at.toString());
    Contact c = new Contact(id, Map.copyOf(merged), createdAt, at);
    contactsById.put(id, c);
    idByEmail.put(email, id);
    return new Upserted(c, created);
  }

  synchronized Contact contact(String id) {
    return contactsById.get(id);
  }

  synchronized Map<String, Property> propertyMap() {
    return new LinkedHashMap<>(properties);
  }

  synchronized boolean addProperty(Property p) {
    return properties.putIfAbsent(p.name(), p) == null;
  }

  synchronized boolean addGroup(Group g) {
    return groups.putIfAbsent(g.name(), g) == null;
  }

  synchronized Note addNote(Map<String, String> props, List<String> contactIds) {
    String id = Long.toString(nextId++);
    Instant at = now();
    Map<String, String> p = new LinkedHashMap<>(props);
    p.put("hs_object_id", id);
    p.put("hs_createdate", at.toString());
    p.put("hs_lastmodifieddate", at.toString());
    Note n = new Note(id, Map.copyOf(p), List.copyOf(contactIds), at, at);
    notes.add(n);
    return n;
  }

  /** Sets the given properties of a note (its associations stay); empty when there is no such note. */
  synchronized Optional<Note> updateNote(String id, Map<String, String> props) {
    for (int i = 0; i < notes.size(); i++) {
      Note old = notes.get(i);
      if (!old.id().equals(id)) continue;
      Instant at = now();
      Map<String, String> p = new LinkedHashMap<>(old.properties());
      p.putAll(props);
      p.put("hs_lastmodifieddate", at.toString());
      Note n = new Note(id, Map.copyOf(p), old.contactIds(), old.createdAt(), at);
      notes.set(i, n);
      return Optional.of(n);
    }
    return Optional.empty();
  }
}
