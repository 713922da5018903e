package io.distillery.train.distill;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import io.distillery.export.student.StudentWeights;
import io.distillery.runtime.batch.Batch;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.batch.BatchOrder;
import io.distillery.runtime.batch.BatchPlan;
import io.distillery.runtime.text.TextTokenizer;
import io.distillery.train.student.StudentClassifier;
import io.distillery.train.student.StudentConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A distilled student's logits in DJL, without exporting it: what a learning loop asks of the
 * student it is training (e.g. the disagreement reward). Length-bucketed batches, no dropout, no
 * gradients. Owns its native memory: close it.
 */
public final class StudentPredictor implements AutoCloseable {
  private static final int BATCH = 64;

  private final NDManager manager;
  private final StudentClassifier model;
  private final StudentConfig config;
  private final TextTokenizer tokenizer;

  /** A predictor for {@code weights}, which must fit {@code config}; the tokenizer is borrowed. */
  public StudentPredictor(StudentWeights weights, StudentConfig config, TextTokenizer tokenizer) {
    this.config = config;
    this.tokenizer = tokenizer;
    this.manager = NDManager.newBaseManager(Device.cpu(), Distiller.ENGINE);
    try {
      this.model = new StudentClassifier(config);
      model.initialize(manager);
      model.load(weights);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Logits {@code [texts, L]}, in input order. */
  public float[][] logits(List<String> texts) {
    float[][] out = new float[texts.size()][];
    if (texts.isEmpty()) {
      return out;
    }
    List<DistillExample> examples = new ArrayList<>(texts.size());
    float[] none = new float[config.numLabels()];
    for (String t : texts) {
      examples.add(DistillExample.ofTeacher(t, none));
    }
    EncodedExamples set =
        EncodedExamples.encode(examples, tokenizer, config, "probe", false, false);
    ParameterStore ps = new ParameterStore(manager, false);
    BatchPlan plan = BatchPlan.of(set.lengths(), new BatchConfig(BATCH, BatchOrder.LENGTH_BUCKETED));
    for (Batch batch : plan.batches()) {
      try (NDScope scope = new NDScope()) {
        EncodedExamples.BatchArrays b = set.arrays(manager, batch.rows());
        float[] flat = model.logits(ps, b.ids(), b.mask(), false).toFloatArray();
        int labels = config.numLabels();
        for (int k = 0; k < batch.rows().length; k++) {
          float[] row = new float[labels];
          System.arraycopy(flat, k * labels, row, 0, labels);
          out[batch.rows()[k]] = row;
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
