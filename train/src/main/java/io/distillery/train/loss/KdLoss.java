package io.distillery.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.distillery.core.ConfigException;
import io.distillery.core.ShapeMismatchException;
import io.distillery.train.nn.GraphScalar;
import java.util.Optional;

/**
 * The knowledge-distillation objective:
 *
 * <pre>
 *   loss = (1 - alpha) · soft(s, t) + alpha · CE(s, y) + hiddenWeight · MSE(h_s P, h_t)
 *   soft = T² · (1/B) Σ_b Σ_l p_t(l) (log p_t(l) - log p_s(l)),  p = softmax(logits / T)
 *          (or the logit MSE, see {@link SoftLoss})
 *   CE   = -(1/B) Σ_b log softmax(s_b)[y_b]   (temperature 1; y from {@link HardLabels})
 * </pre>
 *
 * Scalar factors are engine-owned arrays ({@link GraphScalar}): autograd keeps them for backward.
 *
 * <p>The hidden-state term is a hook for callers that have teacher hidden states (a Distillery
 * corpus stores logits only): it compares pooled vectors {@code [B, D]}, through a projection {@code
 * [Ds, Dt]} when widths differ; without one, differing widths make the term a documented no-op.
 *
 * @param soft the soft-target loss
 * @param temperature T > 0 for {@link SoftLoss#KL_DIVERGENCE}
 * @param alpha weight of the hard-label cross-entropy, in [0, 1]
 * @param hardLabels where the cross-entropy's labels come from
 * @param hiddenWeight weight of the hidden-state MSE (>= 0; 0 = off)
 */
public record KdLoss(SoftLoss soft, double temperature, double alpha, HardLabels hardLabels,
    double hiddenWeight) {
  public static final double DEFAULT_TEMPERATURE = 2.0;
  public static final double DEFAULT_ALPHA = 0.0;

  public KdLoss {
    if (soft == null || hardLabels == null) {
      throw new ConfigException("KD loss: soft loss and hard-label source must be set");
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new ConfigException("KD loss: temperature must be > 0, got " + temperature);
    }
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new ConfigException(
          "KD loss: alpha (hard-label weight) must be in [0, 1], got " + alpha);
    }
    if (!(hiddenWeight >= 0) || Double.isInfinite(hiddenWeight)) {
      throw new ConfigException("KD loss: hiddenWeight must be >= 0, got " + hiddenWeight);
    }
  }

  /** KL at T = {@value #DEFAULT_TEMPERATURE}, no hard labels, no hidden term. */
  public static KdLoss defaults() {
    return kl(DEFAULT_TEMPERATURE, DEFAULT_ALPHA);
  }

  /** KL at temperature T plus alpha · CE on the teacher's argmax. */
  public static KdLoss kl(double temperature, double alpha) {
    return new KdLoss(SoftLoss.KL_DIVERGENCE, temperature, alpha, HardLabels.TEACHER_ARGMAX, 0);
  }

  /** The loss and its parts (scalars); {@code hidden} is empty when the term was not computed. */
  public record Terms(NDArray total, NDArray soft, NDArray hard, Optional<NDArray> hidden) {}

  /**
   * The soft and hard terms.
   *
   * @param student student logits {@code [B, L]}
   * @param teacher teacher logits {@code [B, L]}
   * @param labels gold labels {@code [B]} (int64); used only with {@link HardLabels#GIVEN}, may
   *     be null otherwise
   */
  public Terms evaluate(NDArray student, NDArray teacher, NDArray labels) {
    NDArray s = softLoss(student, teacher);
    NDArray y = hardLabels == HardLabels.GIVEN ? requireLabels(labels, student)
        : teacher.argMax(-1);
    NDArray h = crossEntropy(student, y);
    NDArray total = s.mul(GraphScalar.of(s, (float) (1 - alpha)))
        .add(h.mul(GraphScalar.of(h, (float) alpha)));
    return new Terms(total, s, h, Optional.empty());
  }

  /**
   * As {@link #evaluate(NDArray, NDArray, NDArray)} plus {@code hiddenWeight ·} {@link #hidden}
   * when that term applies.
   */
  public Terms evaluate(NDArray student, NDArray teacher, NDArray labels, NDArray studentHidden,
      NDArray teacherHidden, NDArray projection) {
    Terms base = evaluate(student, teacher, labels);
    if (hiddenWeight == 0) {
      return base;
    }
    Optional<NDArray> mse = hidden(studentHidden, teacherHidden, projection);
    return mse.map(m -> new Terms(base.total().add(m.mul(GraphScalar.of(m, (float) hiddenWeight))),
        base.soft(), base.hard(), mse)).orElse(base);
  }

  /** The soft term alone (a scalar), see {@link SoftLoss}. */
  public NDArray softLoss(NDArray student, NDArray teacher) {
    checkPair(student, teacher);
    if (soft == SoftLoss.LOGIT_MSE) {
      return student.sub(teacher).square().mean();
    }
    NDArray invT = GraphScalar.of(student, (float) (1 / temperature));
    NDArray logPs = student.mul(invT).logSoftmax(-1);
    NDArray logPt = teacher.mul(invT).logSoftmax(-1);
    long batch = student.getShape().get(0);
    return logPt.exp().mul(logPt.sub(logPs)).sum()
        .mul(GraphScalar.of(student, (float) (temperature * temperature / batch)));
  }

  /** Mean cross-entropy of {@code logits [B, L]} against class indices {@code labels [B]}. */
  public static NDArray crossEntropy(NDArray logits, NDArray labels) {
    long batch = logits.getShape().get(0);
    NDArray picked = logits.logSoftmax(-1)
        .gather(labels.toType(DataType.INT64, false).reshape(batch, 1), 1); // [B, 1]
    return picked.mean().neg();
  }

  /**
   * Mean squared error between pooled hidden states, {@code [B, Ds]} (times {@code projection}
   * {@code [Ds, Dt]} when given) and {@code [B, Dt]}; empty (a no-op) when either is null, or
   * when the widths differ and no projection is given.
   */
  public static Optional<NDArray> hidden(NDArray student, NDArray teacher, NDArray projection) {
    if (student == null || teacher == null) {
      return Optional.empty();
    }
    NDArray s = projection == null ? student : student.matMul(projection);
    if (!s.getShape().equals(teacher.getShape())) {
      if (projection != null) {
        throw new ShapeMismatchException("hidden-state MSE: projected student states "
            + s.getShape() + " do not match teacher states " + teacher.getShape());
      }
      return Optional.empty();
    }
    return Optional.of(s.sub(teacher).square().mean());
  }

  private static NDArray requireLabels(NDArray labels, NDArray student) {
    if (labels == null) {
      throw new ConfigException("KD loss: hard labels GIVEN but the batch has no labels");
    }
    Shape s = labels.getShape();
    if (s.dimension() != 1 || s.get(0) != student.getShape().get(0)) {
      throw new ShapeMismatchException("labels: expected [" + student.getShape().get(0)
          + "], found " + labels.getShape());
    }
    return labels;
  }

  private static void checkPair(NDArray student, NDArray teacher) {
    if (student.getShape().dimension() != 2 || !student.getShape().equals(teacher.getShape())) {
      throw new ShapeMismatchException("KD loss: student logits " + student.getShape()
          + " and teacher logits " + teacher.getShape() + " must both be [batch, labels]");
    }
  }
}
