package io.distillery.models.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a raw RFC-822 email into the text a demo classifier reads: the decoded {@code Subject}, a
 * newline, then the first {@value #MAX_BODY_WORDS} words of the readable body. Deliberately small
 * and forgiving, by hand rather than a mail library: MIME multiparts are walked (plain text
 * preferred over HTML in {@code multipart/alternative}, attachments skipped), base64 and
 * quoted-printable text parts are decoded, HTML tags are stripped crudely and whitespace is
 * collapsed. Anything it cannot read is skipped rather than failing the whole corpus.
 */
public final class EmailText {
  /** Body words kept after the subject. */
  public static final int MAX_BODY_WORDS = 200;

  private static final int MAX_DEPTH = 6;
  private static final Pattern HEADER_NAME = Pattern.compile("[!-9;-~]+");
  private static final Pattern ENCODED_WORD =
      Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?\\s]*)\\?=");
  private static final Pattern BETWEEN_ENCODED_WORDS = Pattern.compile("(\\?=)\\s+(=\\?)");
  private static final Pattern HTML_HINT =
      Pattern.compile("(?i)<\\s*(html|body|br|p|div|font|table|td|a\\s|img\\s|b>|center)");
  private static final Pattern HTML_DROP =
      Pattern.compile("(?is)<!--.*?-->|<(script|style|head)\\b.*?</\\1\\s*>");
  private static final Pattern HTML_TAG = Pattern.compile("(?s)<[^<>]{0,4000}>");
  private static final Pattern HTML_ENTITY =
      Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
  private static final Pattern WHITESPACE = Pattern.compile("(?U)[\\s\\p{Cntrl}]+");

  private EmailText() {}

  /** {@code subject + "\n" + first 200 body words}; either side may be empty. */
  public static String modelText(String rawEmail) {
    Part message = Part.parse(rawEmail.replace("\r\n", "\n").replace('\r', '\n'));
    String subject = collapse(decodeHeader(message.header("subject")));
    String body = collapse(bodyText(message, 0));
    return subject + "\n" + firstWords(body, MAX_BODY_WORDS);
  }

  /** A MIME entity: headers (lower-case names, first occurrence wins, unfolded) and raw body. */
  private record Part(Map<String, String> headers, String body) {
    static Part parse(String raw) {
      if (raw.startsWith("\n")) { // no headers at all: the blank line comes first
        return new Part(Map.of(), raw.substring(1));
      }
      int end = raw.indexOf("\n\n");
      String head = end < 0 ? raw : raw.substring(0, end);
      String body = end < 0 ? "" : raw.substring(end + 2);
      Map<String, String> headers = new LinkedHashMap<>();
      String name = null;
      StringBuilder value = new StringBuilder();
      for (String line : head.split("\n", -1)) {
        if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
          value.append(' ').append(line.strip());
          continue;
        }
        if (name != null) {
          headers.putIfAbsent(name, value.toString().strip());
        }
        name = null;
        int colon = line.indexOf(':');
        if (colon > 0 && HEADER_NAME.matcher(line.substring(0, colon)).matches()) {
          name = line.substring(0, colon).toLowerCase(Locale.ROOT);
          value.setLength(0);
          value.append(line.substring(colon + 1));
        }
      }
      if (name != null) {
        headers.putIfAbsent(name, value.toString().strip());
      }
      return new Part(headers, body);
    }

    String header(String lowerName) {
      return headers.getOrDefault(lowerName, "");
    }

    /** The lower-case media type, {@code text/plain} when absent. */
    String mediaType() {
      String ct = header("content-type");
      int semi = ct.indexOf(';');
      String type = (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
      return type.isEmpty() ? "text/plain" : type;
    }

    String parameter(String headerName, String parameter) {
      Matcher m =
          Pattern.compile("(?i);\\s*" + parameter + "\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)")
              .matcher(header(headerName));
      if (!m.find()) {
        return null;
      }
      return m.group(2) != null ? m.group(2) : m.group(1);
    }

    boolean isAttachment() {
      return header("content-disposition").toLowerCase(Locale.ROOT).startsWith("attachment");
    }
  }

  private static String bodyText(Part part, int depth) {
    String type = part.mediaType();
    if (type.startsWith("multipart/")) {
      String boundary = part.parameter("content-type", "boundary");
      if (boundary == null || boundary.isEmpty() || depth >= MAX_DEPTH) {
        return "";
      }
      List<Part> children = splitMultipart(part.body(), boundary);
      if (type.equals("multipart/alternative")) {
        return alternative(children, depth);
      }
      StringBuilder out = new StringBuilder();
      for (Part child : children) {
        if (!child.isAttachment()) {
          out.append(bodyText(child, depth + 1)).append('\n');
        }
      }
      return out.toString();
    }
    if (!type.startsWith("text/") || part.isAttachment()) {
      return "";
    }
    String text =
        decodeTransfer(part.body(), part.header("content-transfer-encoding"), charset(part));
    boolean html = type.equals("text/html") || HTML_HINT.matcher(text).find();
    return html ? stripHtml(text) : text;
  }

  private static String alternative(List<Part> children, int depth) {
    for (Part child : children) {
      if (child.mediaType().equals("text/plain")) {
        String text = bodyText(child, depth + 1);
        if (!text.isBlank()) {
          return text;
        }
      }
    }
    for (Part child : children) {
      String text = bodyText(child, depth + 1);
      if (!text.isBlank()) {
        return text;
      }
    }
    return "";
  }

  private static List<Part> splitMultipart(String body, String boundary) {
    String delimiter = "--" + boundary;
    List<Part> parts = new ArrayList<>();
    StringBuilder current = null;
    for (String line : body.split("\n", -1)) {
      String trimmed = line.stripTrailing();
      if (trimmed.equals(delimiter + "--")) {
        break;
      }
      if (trimmed.equals(delimiter)) {
        if (current != null) {
          parts.add(Part.parse(current.toString()));
        }
        current = new StringBuilder();
        continue;
      }
      if (current != null) {
        current.append(line).append('\n');
      }
    }
    if (current != null) {
      parts.add(Part.parse(current.toString()));
    }
    return parts;
  }

  private static Charset charset(Part part) {
    return charsetOr(part.parameter("content-type", "charset"), StandardCharsets.ISO_8859_1);
  }

  private static Charset charsetOr(String name, Charset fallback) {
    if (name == null) {
      return fallback;
    }
    try {
      return Charset.forName(name.strip());
    } catch (IllegalArgumentException e) { // illegal or unsupported charset name
      return fallback;
    }
  }

  private static String decodeTransfer(String body, String encoding, Charset charset) {
    String enc = encoding.strip().toLowerCase(Locale.ROOT);
    if (enc.equals("base64")) {
      String compact = body.replaceAll("[^A-Za-z0-9+/=]", "");
      int eq = compact.indexOf('=');
      String data = eq < 0 ? compact : compact.substring(0, eq);
      if (data.length() % 4 == 1) { // a dangling sextet cannot encode a byte
        data = data.substring(0, data.length() - 1);
      }
      try {
        return new String(Base64.getDecoder().decode(pad(data)), charset);
      } catch (IllegalArgumentException e) { // corrupt base64: nothing readable here
        return "";
      }
    }
    if (enc.equals("quoted-printable")) {
      return decodeQuotedPrintable(body, charset, false);
    }
    return body;
  }

  private static String pad(String base64) {
    int rest = base64.length() % 4;
    return rest == 0 ? base64 : base64 + "=".repeat(4 - rest);
  }

  /**
   * Decodes {@code =XX} escapes and the ASCII around them as bytes in {@code charset}; soft line
   * breaks ({@code =} at a line end) are removed; in RFC 2047 Q mode {@code _} is a space.
   */
  private static String decodeQuotedPrintable(String text, Charset charset, boolean qMode) {
    StringBuilder out = new StringBuilder(text.length());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '=' && i + 1 < n && text.charAt(i + 1) == '\n') {
        i += 2;
        continue;
      }
      if (c == '=' && i + 2 < n && isHex(text, i + 1) && isHex(text, i + 2)) {
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 3;
        continue;
      }
      if (c < 0x80) { // ASCII is part of the encoded byte stream (e.g. Big5 trail bytes)
        bytes.write(qMode && c == '_' ? ' ' : c);
      } else {
        flush(bytes, out, charset);
        out.append(c);
      }
      i++;
    }
    flush(bytes, out, charset);
    return out.toString();
  }

  private static boolean isHex(String s, int i) {
    return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
  }

  private static void flush(ByteArrayOutputStream bytes, StringBuilder out, Charset charset) {
    if (bytes.size() > 0) {
      out.append(new String(bytes.toByteArray(), charset));
      bytes.reset();
    }
  }

  /** Decodes RFC 2047 encoded words ({@code =?charset?B|Q?...?=}) in a header value. */
  static String decodeHeader(String value) {
    String joined = BETWEEN_ENCODED_WORDS.matcher(value).replaceAll("$1$2");
    Matcher m = ENCODED_WORD.matcher(joined);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Charset charset =
          charsetOr(m.group(1).replaceFirst("\\*.*$", ""), StandardCharsets.ISO_8859_1);
      String decoded;
      if (m.group(2).equalsIgnoreCase("b")) {
        try {
          decoded = new String(Base64.getDecoder().decode(pad(m.group(3))), charset);
        } catch (IllegalArgumentException e) { // corrupt: keep the raw word
          decoded = m.group();
        }
      } else {
        decoded = decodeQuotedPrintable(m.group(3), charset, true);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(decoded));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Drops comments, scripts, styles and tags, and decodes the common entities. */
  static String stripHtml(String html) {
    String text = HTML_DROP.matcher(html).replaceAll(" ");
    text = HTML_TAG.matcher(text).replaceAll(" ");
    Matcher m = HTML_ENTITY.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(entity(m.group(1), m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String entity(String name, String raw) {
    if (name.startsWith("#")) {
      boolean hex = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X');
      int code = Integer.parseInt(hex ? name.substring(2) : name.substring(1), hex ? 16 : 10);
      return Character.isValidCodePoint(code) && code != 0
          ? new String(Character.toChars(code))
          : " ";
    }
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "nbsp" -> " ";
      case "amp" -> "&";
      case "lt" -> "<";
      case "gt" -> ">";
      case "quot" -> "\"";
      case "apos" -> "'";
      case "copy" -> "(c)";
      case "reg" -> "(R)";
      default -> raw;
    };
  }

  private static String collapse(String text) {
    return WHITESPACE.matcher(text).replaceAll(" ").strip();
  }

  private static String firstWords(String collapsed, int max) {
    if (collapsed.isEmpty()) {
      return "";
    }
    int words = 0;
    for (int i = 0; i < collapsed.length(); i++) {
      if (collapsed.charAt(i) == ' ' && ++words == max) {
        return collapsed.substring(0, i);
      }
    }
    return collapsed;
  }
}
