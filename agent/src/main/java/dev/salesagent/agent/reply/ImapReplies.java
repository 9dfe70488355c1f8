package dev.salesagent.agent.reply;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.FlagTerm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads replies from an IMAP folder with Jakarta Mail (Angus): the unseen messages (at most {@code limit}), read-only
 * unless asked to mark them seen. Settings from the environment ({@code SALES_AGENT_IMAP_*}, docs/CONFIGURATION.md).
 * Blocking.
 */
public final class ImapReplies {
  public static final String HOST = "SALES_AGENT_IMAP_HOST", PORT = "SALES_AGENT_IMAP_PORT", TLS = "SALES_AGENT_IMAP_TLS",
      USERNAME = "SALES_AGENT_IMAP_USERNAME", PASSWORD = "SALES_AGENT_IMAP_PASSWORD", FOLDER = "SALES_AGENT_IMAP_FOLDER";

  /** One message: its raw bytes (for the id and the parser) and where it came from. */
  public record Fetched(String source, byte[] raw) {}

  private final String host, username, password, folder, tls;
  private final int port;

  public ImapReplies(Map<String, String> env) {
    this.host = env.get(HOST);
    this.username = env.get(USERNAME);
    this.password = env.get(PASSWORD);
    this.folder = env.getOrDefault(FOLDER, "INBOX");
    this.tls = env.getOrDefault(TLS, "tls").strip().toLowerCase(Locale.ROOT);
    if (!List.of("tls", "starttls", "none").contains(tls)) throw new IllegalArgumentException(TLS + " must be tls, starttls or none");
    try {
      this.port = Integer.parseInt(env.getOrDefault(PORT, tls.equals("tls") ? "993" : "143").strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PORT + " must be a whole number");
    }
  }

  public List<String> missing() {
    List<String> m = new ArrayList<>();
    if (host == null || host.isBlank()) m.add(HOST);
    if (username == null || username.isBlank()) m.add(USERNAME);
    if (password == null) m.add(PASSWORD);
    return m;
  }

  public List<Fetched> fetchUnseen(int limit, boolean markSeen) throws MessagingException, IOException {
    Properties p = new Properties();
    String protocol = tls.equals("tls") ? "imaps" : "imap";
    p.put("mail.store.protocol", protocol);
    p.put("mail." + protocol + ".connectiontimeout", "10000");
    p.put("mail." + protocol + ".timeout", "30000");
    if (tls.equals("starttls")) p.put("mail.imap.starttls.required", "true");
    // BODY.PEEK: reading a message must not set \Seen (some servers set it even on a folder opened read-only)
    p.put("mail." + protocol + ".peek", "true");
    Session session = Session.getInstance(p);
    List<Fetched> out = new ArrayList<>();
    try (Store store = session.getStore(protocol)) {
      store.connect(host, port, username, password);
      Folder f = store.getFolder(folder);
      f.open(markSeen ? Folder.READ_WRITE : Folder.READ_ONLY);
      try {
        Message[] unseen = f.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
        for (Message m : unseen) {
          if (out.size() >= limit) break;
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          m.writeTo(bytes);
          out.add(new Fetched("imap:" + folder + "/" + m.getMessageNumber(), bytes.toByteArray()));
          if (markSeen) m.setFlag(Flags.Flag.SEEN, true);
        }
      } finally {
        f.close(false);
      }
    }
    return out;
  }
}
