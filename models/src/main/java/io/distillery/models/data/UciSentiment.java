package io.distillery.models.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * UCI Sentiment Labelled Sentences (Kotzias et al., KDD 2015; CC BY 4.0) as shipped in the test
 * fixtures of npm {@code sentiment@5.0.2}: three JSON arrays of {@code {"text", "class"}} with
 * 1,000 review sentences each, class 0 = negative, 1 = positive. Each array ends with an empty
 * placeholder ({@code {"text": "", "class": null}}), which is skipped.
 */
public final class UciSentiment {
  /** The review sources, one fixture file each; also the id prefixes. */
  public static final List<String> SOURCES = List.of("amazon", "imdb", "yelp");

  /** Sentences per source file. */
  public static final int PER_SOURCE = 1000;

  private UciSentiment() {}

  /** The archive path of one source's fixture. */
  public static String entryPath(String source) {
    return "package/test/fixtures/" + source + ".json";
  }

  /**
   * Reads all 3,000 sentences, sorted by id ({@code amazon-0001} ... {@code yelp-1000}, numbered by
   * position in the file from 1), with trailing whitespace stripped.
   */
  public static List<LabelledText> read(Path tgz) {
    List<LabelledText> out = new ArrayList<>();
    for (String source : SOURCES) {
      String entry = entryPath(source);
      JsonNode array;
      try {
        array = Json.LINE_MAPPER.readTree(Tarball.read(tgz, entry));
      } catch (IOException e) {
        throw BadInputException.of(tgz, entry + ": not valid JSON (" + e.getMessage() + ")", e);
      }
      if (array == null || !array.isArray()) {
        throw BadInputException.of(tgz, entry + ": expected a JSON array of {text, class}");
      }
      int kept = 0;
      for (int i = 0; i < array.size(); i++) {
        JsonNode row = array.get(i);
        String text = row.path("text").asText("").stripTrailing();
        JsonNode cls = row.get("class");
        if (text.isEmpty() && (cls == null || cls.isNull())) {
          continue; // the empty placeholder closing each fixture
        }
        if (cls == null || !cls.isInt() || cls.asInt() < 0 || cls.asInt() > 1 || text.isEmpty()) {
          throw BadInputException.of(
              tgz,
              entry
                  + ": element "
                  + i
                  + ": expected a non-empty text and class 0 or 1, found "
                  + row);
        }
        out.add(new LabelledText(String.format("%s-%04d", source, i + 1), text, cls.asInt()));
        kept++;
      }
      if (kept != PER_SOURCE) {
        throw BadInputException.of(
            tgz, entry + ": expected " + PER_SOURCE + " labelled sentences, found " + kept);
      }
    }
    out.sort(Comparator.comparing(LabelledText::id));
    return out;
  }
}
