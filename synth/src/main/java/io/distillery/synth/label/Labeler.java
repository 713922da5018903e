package io.distillery.synth.label;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.JsonlReader;
import io.distillery.core.JsonlWriter;
import io.distillery.core.Progress;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.classify.Logits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds a teacher's soft labels to a JSON Lines file: each output record is the input record plus
 * {@code logits} (the teacher's raw scores, one per label), {@code label} (the argmax id) and
 * {@code label_name}. Streams in chunks, so memory stays flat whatever the file size; the output
 * appears atomically when the pass completes.
 */
public final class Labeler {
  /** Records classified per chunk; big enough for length bucketing to find similar lengths. */
  public static final int DEFAULT_CHUNK = 2048;

  private final ClassifierModel model;
  private final int chunk;

  public Labeler(ClassifierModel model, int chunk) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
    }
    this.model = model;
    this.chunk = chunk;
  }

  public Labeler(ClassifierModel model) {
    this(model, DEFAULT_CHUNK);
  }

  /** Labels every record of {@code in} (read from field {@code textField}) into {@code out}. */
  public LabelSummary label(Path in, Path out, String textField, Progress progress) {
    long start = System.nanoTime();
    long truncatedBefore = model.classifier().stats().truncatedTexts();
    long[] counts = new long[model.labels().size()];
    long records = 0;
    try (JsonlReader reader = JsonlReader.open(in);
        JsonlWriter writer = new JsonlWriter(out)) {
      List<ObjectNode> pending = new ArrayList<>(chunk);
      List<String> texts = new ArrayList<>(chunk);
      while (reader.hasNext()) {
        JsonlReader.Line line = reader.next();
        texts.add(reader.requireText(line, textField));
        pending.add(line.json());
        if (pending.size() == chunk) {
          records += flush(pending, texts, writer, counts, progress);
        }
      }
      records += flush(pending, texts, writer, counts, progress);
      writer.commit();
    }
    Map<String, Long> byName = new LinkedHashMap<>();
    for (int i = 0; i < counts.length; i++) {
      byName.put(model.labels().name(i), counts[i]);
    }
    long truncated = model.classifier().stats().truncatedTexts() - truncatedBefore;
    return new LabelSummary(records, truncated, byName, (System.nanoTime() - start) / 1e9);
  }

  private long flush(
      List<ObjectNode> pending,
      List<String> texts,
      JsonlWriter writer,
      long[] counts,
      Progress progress) {
    if (pending.isEmpty()) {
      return 0;
    }
    float[][] logits = model.classifier().logits(texts);
    for (int i = 0; i < pending.size(); i++) {
      ObjectNode rec = pending.get(i);
      ArrayNode arr = rec.putArray("logits");
      for (float v : logits[i]) {
        arr.add(v);
      }
      int label = Logits.argmax(logits[i]);
      rec.put("label", label);
      rec.put("label_name", model.labels().name(label));
      counts[label]++;
      writer.write(rec);
    }
    int n = pending.size();
    progress.advance(n);
    pending.clear();
    texts.clear();
    return n;
  }
}
