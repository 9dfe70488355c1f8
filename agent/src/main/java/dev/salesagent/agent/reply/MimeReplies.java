package dev.salesagent.agent.reply;

import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an email (an {@code .eml} file or an IMAP message) into an {@link InboundReply} with Jakarta Mail (Angus):
 * headers, the reply's own text (text/plain preferred, else text/html without tags; the quoted history below an
 * attribution line such as "On … wrote:", "Am … schrieb", "Le … a écrit", "El … escribió" or an Outlook header block
 * cut off — it holds our own email, unsubscribe line included), and the delivery-status fields of a DSN.
 */
public final class MimeReplies {
  private static final Session SESSION = Session.getInstance(new Properties());
  private static final Pattern ATTRIBUTION = Pattern.compile(
      "(?im)^(?:[>\\s]*)(?:on\\b.{0,200}\\bwrote:|am\\b.{0,200}\\bschrieb.{0,60}:|le\\b.{0,200}\\ba [ée]crit\\s*:|el\\b.{0,200}\\bescribi[óo]:"
          + "|-{2,}\\s*(?:original message|urspr[üu]ngliche nachricht|message d'origine|mensaje original)\\s*-{2,}"
          + "|(?:from|von|de):\\s.{0,200}\\R(?:sent|gesendet|envoy[ée]|enviado)(?: le)?:)");
  private static final Pattern MSG_ID = Pattern.compile("<[^<>\\s]+>");

  private MimeReplies() {}

  public static InboundReply parse(byte[] eml) {
    try (InputStream in = new ByteArrayInputStream(eml)) {
      return parse(new MimeMessage(SESSION, in));
    } catch (IOException | MessagingException e) {
      throw new IllegalArgumentException("not a readable email: " + e.getMessage(), e);
    }
  }

  public static InboundReply parse(Message m) throws MessagingException, IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Enumeration<Header> e = m.getAllHeaders(); e.hasMoreElements(); ) {
      Header h = e.nextElement();
      headers.merge(h.getName().toLowerCase(Locale.ROOT), unfold(h.getValue()), (a, b) -> a + ", " + b);
    }
    String from = null;
    var addresses = m.getFrom();
    if (addresses != null && addresses.length > 0 && addresses[0] instanceof InternetAddress ia) {
      from = ia.getAddress() == null ? null : ia.getAddress().toLowerCase(Locale.ROOT);
    }
    List<String> refs = new ArrayList<>();
    for (String h : new String[] {"in-reply-to", "references"}) {
      String v = headers.get(h);
      if (v == null) continue;
      Matcher mm = MSG_ID.matcher(v);
      while (mm.find()) if (!refs.contains(mm.group())) refs.add(mm.group());
    }
    StringBuilder plain = new StringBuilder(), html = new StringBuilder(), status = new StringBuilder();
    collect(m, plain, html, status);
    String text = plain.length() > 0 ? plain.toString() : html.length() > 0 ? stripHtml(html.toString()) : "";
    InboundReply.Dsn dsn = null;
    if (isDeliveryReport(m) || status.length() > 0) dsn = dsn(status.toString());
    String messageId = headers.get("message-id");
    return new InboundReply(messageId == null ? null : messageId.strip(), from, m.getSubject(), headers, newText(text), refs, dsn);
  }

  private static boolean isDeliveryReport(Part p) throws MessagingException {
    ContentType ct = contentType(p);
    return ct != null && ct.match("multipart/report") && "delivery-status".equalsIgnoreCase(ct.getParameter("report-type"));
  }

  private static ContentType contentType(Part p) throws MessagingException {
    try {
      return new ContentType(p.getContentType());
    } catch (Exception e) {
      return null;
    }
  }

  private static void collect(Part p, StringBuilder plain, StringBuilder html, StringBuilder status) throws MessagingException, IOException {
    ContentType ct = contentType(p);
    if (ct == null) return;
    if (ct.match("multipart/*")) {
      Multipart mp = (Multipart) p.getContent();
      boolean alternative = ct.match("multipart/alternative");
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart b = mp.getBodyPart(i);
        collect(b, plain, html, status);
        if (alternative && plain.length() > 0) break;
      }
    } else if (ct.match("message/delivery-status") || ct.match("message/global-delivery-status")) {
      status.append(read(p)).append('\n');
    } else if (ct.match("message/rfc822") || Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
      // the returned or attached original: not the reply's text
    } else if (ct.match("text/plain")) {
      if (plain.length() == 0) plain.append(String.valueOf(p.getContent()));
    } else if (ct.match("text/html")) {
      if (html.length() == 0) html.append(String.valueOf(p.getContent()));
    }
  }

  private static String read(Part p) throws MessagingException, IOException {
    Object c = p.getContent();
    if (c instanceof String s) return s;
    try (InputStream in = p.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static InboundReply.Dsn dsn(String status) {
    return new InboundReply.Dsn(field(status, "Final-Recipient"), field(status, "Action"), field(status, "Status"),
        field(status, "Diagnostic-Code"));
  }

  private static String field(String text, String name) {
    Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.+)$").matcher(text);
    if (!m.find()) return null;
    String v = m.group(1).strip();
    if (name.equals("Final-Recipient") && v.contains(";")) v = v.substring(v.indexOf(';') + 1).strip();
    return v;
  }

  /** The reply's own words: up to the first attribution line or quoted block. */
  static String newText(String text) {
    String t = text.replace("\r\n", "\n");
    Matcher m = ATTRIBUTION.matcher(t);
    if (m.find()) t = t.substring(0, m.start());
    StringBuilder sb = new StringBuilder();
    for (String line : t.split("\n", -1)) {
      if (line.startsWith(">")) continue;
      sb.append(line).append('\n');
    }
    return sb.toString().strip();
  }

  static String stripHtml(String html) {
    return html.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("(?i)<br\\s*/?>|</p>|</div>", "\n")
        .replaceAll("<[^>]+>", " ").replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&quot;", "\"").replace("&#39;", "'").replaceAll("[ \\t]+", " ");
  }

  private static String unfold(String v) {
    return v == null ? "" : v.replaceAll("\\r?\\n[ \\t]+", " ").strip();
  }
}
