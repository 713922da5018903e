package io.distillery.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.distillery.core.BadInputException;
import io.distillery.runtime.text.TextTokenizer;
import io.distillery.runtime.text.TokenizedText;
import io.distillery.train.student.StudentConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Examples tokenized once with the teacher's tokenizer, cut to the student's max length, and
 * turned into padded batch arrays on demand.
 */
final class EncodedExamples {
  private final long[][] ids;
  private final float[][] teacher;
  private final int[] labels;
  private final long padId;
  private final String fingerprint;

  /** A padded batch: ids, mask {@code [B, T]} int64; teacher {@code [B, L]}; labels {@code [B]}. */
  record BatchArrays(NDArray ids, NDArray mask, NDArray teacher, NDArray labels, long realTokens) {}

  private EncodedExamples(long[][] ids, float[][] teacher, int[] labels, long padId,
      String fingerprint) {
    this.ids = ids;
    this.teacher = teacher;
    this.labels = labels;
    this.padId = padId;
    this.fingerprint = fingerprint;
  }

  /**
   * @param what names the set in errors ("train", "dev")
   * @param needLogits whether every example must carry {@code numLabels} teacher logits
   * @param needLabels whether every example must carry a label in {@code [0, numLabels)}
   */
  static EncodedExamples encode(List<DistillExample> examples, TextTokenizer tokenizer,
      StudentConfig config, String what, boolean needLogits, boolean needLabels) {
    if (examples.isEmpty()) {
      throw new BadInputException("distill: the " + what + " set is empty");
    }
    int n = examples.size();
    long[][] ids = new long[n][];
    float[][] teacher = new float[n][];
    int[] labels = new int[n];
    MessageDigest digest = sha256();
    List<String> texts = new ArrayList<>(n);
    for (DistillExample e : examples) {
      texts.add(e.text());
    }
    List<TokenizedText> encoded = tokenizer.encodeAll(texts);
    for (int i = 0; i < n; i++) {
      DistillExample e = examples.get(i);
      long[] row = encoded.get(i).ids();
      if (row.length == 0) {
        row = new long[] {tokenizer.padId()};
      }
      if (row.length > config.maxLength()) { // keep the closing special token
        long last = row[row.length - 1];
        row = Arrays.copyOf(row, config.maxLength());
        row[row.length - 1] = last;
      }
      for (long id : row) {
        if (id < 0 || id >= config.vocabSize()) {
          throw BadInputException.of(tokenizer.path(), "token id " + id + " of " + what
              + " example " + i + " is outside the student vocabulary [0, " + config.vocabSize()
              + "); set the student's vocabSize to the tokenizer's vocabulary size");
        }
      }
      if (needLogits && e.teacherLogits().length != config.numLabels()) {
        throw new BadInputException("distill: " + what + " example " + i + " has "
            + e.teacherLogits().length + " teacher logits, expected " + config.numLabels());
      }
      for (float z : e.teacherLogits()) {
        if (!Float.isFinite(z)) {
          throw new BadInputException("distill: " + what + " example " + i + " has a non-finite"
              + " teacher logit (" + z + ")");
        }
      }
      if (needLabels && (e.label() < 0 || e.label() >= config.numLabels())) {
        throw new BadInputException("distill: " + what + " example " + i + " has label "
            + e.label() + ", expected 0.." + (config.numLabels() - 1));
      }
      ids[i] = row;
      teacher[i] = e.teacherLogits();
      labels[i] = e.label();
      digest.update(e.text().getBytes(StandardCharsets.UTF_8));
      ByteBuffer buf = ByteBuffer.allocate(4 + 4 * e.teacherLogits().length);
      buf.putInt(e.label());
      for (float f : e.teacherLogits()) {
        buf.putFloat(f);
      }
      digest.update(buf.array());
    }
    return new EncodedExamples(ids, teacher, labels, tokenizer.padId(),
        HexFormat.of().formatHex(digest.digest()));
  }

  int size() {
    return ids.length;
  }

  int length(int i) {
    return ids[i].length;
  }

  int[] lengths() {
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = ids[i].length;
    }
    return out;
  }

  int label(int i) {
    return labels[i];
  }

  /** SHA-256 over every text, label and logit, for checking a checkpoint belongs to this data. */
  String fingerprint() {
    return fingerprint;
  }

  /** The rows padded to the longest of them; teacher logits only if every row has them. */
  BatchArrays arrays(NDManager m, int[] rows) {
    int b = rows.length;
    int t = 1;
    for (int r : rows) {
      t = Math.max(t, ids[r].length);
    }
    long[] flatIds = new long[b * t];
    long[] mask = new long[b * t];
    long[] lab = new long[b];
    Arrays.fill(flatIds, padId);
    long real = 0;
    int l = teacher[rows[0]].length;
    boolean haveLogits = l > 0;
    float[] logits = new float[b * Math.max(l, 1)];
    for (int k = 0; k < b; k++) {
      long[] row = ids[rows[k]];
      System.arraycopy(row, 0, flatIds, k * t, row.length);
      Arrays.fill(mask, k * t, k * t + row.length, 1L);
      real += row.length;
      lab[k] = Math.max(0, labels[rows[k]]);
      float[] z = teacher[rows[k]];
      if (z.length != l) {
        haveLogits = false;
      } else if (l > 0) {
        System.arraycopy(z, 0, logits, k * l, l);
      }
    }
    return new BatchArrays(m.create(flatIds, new Shape(b, t)), m.create(mask, new Shape(b, t)),
        haveLogits ? m.create(logits, new Shape(b, l)) : null, m.create(lab, new Shape(b)), real);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }
}
