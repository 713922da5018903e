package io.distillery.train.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.distillery.core.ShapeMismatchException;
import io.distillery.export.gpt.WeightTensor;
import io.distillery.export.student.StudentArchitecture;
import io.distillery.export.student.StudentExporter;
import io.distillery.export.student.StudentWeights;
import io.distillery.train.nn.BlockParameters;
import io.distillery.train.nn.Dense;
import io.distillery.train.nn.FixedShapeBlock;
import io.distillery.train.nn.LayerNormalization;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The student: a small transformer encoder classifier over the teacher's vocabulary.
 *
 * <pre>
 *   h      = word[ids] (· proj when factorised) + pos[0..T-1]     [B, T, D]
 *   h      = layer_N(... layer_1(drop(h)))                       pre-LN, padding keys masked
 *   pooled = masked mean of LN_f(h) over the T axis             [B, D]
 *   logits = pooled · Wc + bc                                   [B, L]
 * </pre>
 *
 * The computation is op for op the graph {@link StudentExporter} writes, so ONNX Runtime and DJL
 * agree to float rounding. Lifecycle: construct, {@link #initialize(NDManager)} (seed the engine
 * first for reproducible weights), then train or {@link #load} trained weights.
 */
public final class StudentClassifier extends FixedShapeBlock {
  /** Initial standard deviation of the token table rows and of the position rows. */
  public static final float TOKEN_INIT_STD = 0.02f;
  public static final float POSITION_INIT_STD = 0.01f;

  private final StudentConfig config;
  private final Parameter word;
  private final Parameter projection;
  private final Parameter position;
  private final List<EncoderLayer> layers = new ArrayList<>();
  private final LayerNormalization finalNorm;
  private final Dense classifier;

  /** The pooled sentence vector {@code [B, D]} and the logits {@code [B, L]}. */
  public record Output(NDArray pooled, NDArray logits) {}

  public StudentClassifier(StudentConfig config) {
    this.config = config;
    word = addParameter(Parameter.builder().setName("word_embeddings")
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(config.vocabSize(), config.architecture().tokenTableWidth()))
        .optInitializer(new NormalInitializer(TOKEN_INIT_STD)).build());
    projection = config.factorised()
        ? addParameter(Parameter.builder().setName("word_projection").setType(Parameter.Type.WEIGHT)
            .optShape(new Shape(config.embeddingDim(), config.width()))
            .optInitializer(new NormalInitializer((float) (1.0 / Math.sqrt(config.embeddingDim()))))
            .build())
        : null;
    position = addParameter(Parameter.builder().setName("position_embeddings")
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(config.maxLength(), config.width()))
        .optInitializer(new NormalInitializer(POSITION_INIT_STD)).build());
    for (int i = 0; i < config.layers(); i++) {
      layers.add(addChildBlock("layer" + i, new EncoderLayer(config)));
    }
    finalNorm = addChildBlock("final_norm", layerNorm(config.width()));
    classifier = addChildBlock("classifier",
        new Dense(config.width(), config.numLabels(), 0.02f));
  }

  /** A layer norm with the exporter's epsilon ({@link StudentExporter#LN_EPS}). */
  static LayerNormalization layerNorm(int width) {
    return new LayerNormalization(width, StudentExporter.LN_EPS);
  }

  public StudentConfig config() {
    return config;
  }

  /** Initialises every parameter (seed the engine first for reproducible weights). */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, new Shape(1, 1));
  }

  /**
   * Every parameter under its {@link StudentArchitecture} name (the ONNX initializer names), in
   * {@link StudentArchitecture#weightShapes()} order.
   */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    out.put(StudentArchitecture.WORD_EMBEDDINGS, word);
    if (projection != null) {
      out.put(StudentArchitecture.WORD_PROJECTION, projection);
    }
    out.put(StudentArchitecture.POSITION_EMBEDDINGS, position);
    for (int i = 0; i < layers.size(); i++) {
      EncoderLayer l = layers.get(i);
      BlockParameters.put(out, StudentArchitecture.layerPrefix(i),
          StudentArchitecture.BLOCK_WEIGHTS, l.ln1(), l.qkv(), l.attnOut(), l.ln2(), l.ffnIn(),
          l.ffnOut());
    }
    out.put(StudentArchitecture.FINAL_NORM_WEIGHT, finalNorm.weight());
    out.put(StudentArchitecture.FINAL_NORM_BIAS, finalNorm.bias());
    out.put(StudentArchitecture.CLASSIFIER_WEIGHT, classifier.weight());
    out.put(StudentArchitecture.CLASSIFIER_BIAS, classifier.bias());
    return out;
  }

  /**
   * Logits for a padded batch.
   *
   * @param ids token ids {@code [B, T]} (int64), {@code 1 <= T <= maxLength}
   * @param mask 1 for real tokens, 0 for padding, {@code [B, T]} (any numeric type)
   * @return {@code [B, L]}
   */
  public NDArray logits(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
    return apply(ps, ids, mask, training).logits();
  }

  /** The pooled vector and the logits for a padded batch; see {@link #logits}. */
  public Output apply(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
    check(ids, mask);
    long b = ids.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    NDManager m = ids.getManager();
    NDArray tokTable = ps.getValue(word, ids.getDevice(), training);
    NDArray h = Embedding.embedding(ids, tokTable, SparseFormat.DENSE).singletonOrThrow();
    if (projection != null) {
      h = h.matMul(ps.getValue(projection, ids.getDevice(), training)); // [B, T, D]
    }
    NDArray positions = m.arange(0, t, 1, DataType.INT64);
    NDArray posTable = ps.getValue(position, ids.getDevice(), training);
    h = h.add(Embedding.embedding(positions, posTable, SparseFormat.DENSE).singletonOrThrow());
    if (training && config.dropout() > 0) {
      h = Dropout.dropout(h, (float) config.dropout(), true).singletonOrThrow();
    }
    NDArray maskF = mask.toType(DataType.FLOAT32, false); // [B, T]
    NDArray bias = maskF.sub(1f).mul(StudentExporter.MASK_SCALE).reshape(b, 1, 1, t);
    for (EncoderLayer layer : layers) {
      h = layer.apply(ps, h, bias, training);
    }
    NDArray normed = finalNorm.apply(ps, h, training); // [B, T, D]
    NDArray count = maskF.sum(new int[] {1}, true).maximum(StudentExporter.MIN_COUNT); // [B, 1]
    NDArray pooled = maskF.reshape(b, 1, t).matMul(normed).reshape(b, config.width())
        .div(count); // [B, D]
    return new Output(pooled, classifier.apply(ps, pooled, training));
  }

  /** A copy of every parameter as plain arrays, ready for {@link StudentExporter}. */
  public StudentWeights weights() {
    Map<String, WeightTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
      NDArray a = e.getValue().getArray();
      out.put(e.getKey(), new WeightTensor(a.getShape().getShape(), a.toFloatArray()));
    }
    return new StudentWeights(config.architecture(), out);
  }

  /**
   * Copies trained weights into this (initialised) model, in place.
   *
   * @throws ShapeMismatchException if the weights belong to another architecture
   */
  public void load(StudentWeights weights) {
    if (!weights.architecture().equals(config.architecture())) {
      throw new ShapeMismatchException("student weights are for " + weights.architecture().summary()
          + ", the model is " + config.architecture().summary());
    }
    for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
      e.getValue().getArray().set(FloatBuffer.wrap(weights.tensor(e.getKey()).values()));
    }
  }

  private void check(NDArray ids, NDArray mask) {
    Shape s = ids.getShape();
    if (s.dimension() != 2) {
      throw new ShapeMismatchException("input_ids: expected [batch, seq], found " + s);
    }
    if (s.get(1) < 1 || s.get(1) > config.maxLength()) {
      throw new ShapeMismatchException("input_ids: sequence length must be in [1, "
          + config.maxLength() + "] (the student's maxLength), found " + s.get(1));
    }
    if (!mask.getShape().equals(s)) {
      throw new ShapeMismatchException(
          "attention_mask: expected the shape of input_ids " + s + ", found " + mask.getShape());
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    if (inputs.size() < 2) {
      throw new ShapeMismatchException(
          "student forward: expected [input_ids, attention_mask], found " + inputs.size()
              + " arrays");
    }
    Output out = apply(ps, inputs.get(0), inputs.get(1), training);
    return new NDList(out.logits(), out.pooled());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    return new Shape[] {new Shape(b, config.numLabels()), new Shape(b, config.width())};
  }
}
