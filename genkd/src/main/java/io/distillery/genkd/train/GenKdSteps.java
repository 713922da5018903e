package io.distillery.genkd.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.distillery.genkd.loss.TokenKl;
import io.distillery.train.gpt.AdamW;

/**
 * One optimizer step of each objective on a {@link ResponseBatch}. Targets (the teacher, and the
 * student in the prompt step) are computed outside the gradient collector and detached, so a step
 * changes only what its optimizer holds: the prompt step only the soft prompt, every other step
 * only the student. Call inside an {@code NDScope}.
 */
public final class GenKdSteps {
  private final GenKdModels models;
  private final double gradClip;
  private final ParameterStore ps;

  /**
   * What a step did.
   *
   * @param loss the objective it minimised
   * @param gradNorm global gradient norm before clipping
   */
  public record StepResult(double loss, double gradNorm) {}

  /**
   * The prompt step's terms.
   *
   * @param regulariser KL(p_T′ ‖ p_T)
   * @param towardStudent KL(p_T′ ‖ q_S)
   * @param loss weight · regulariser + towardStudent
   * @param gradNorm the prompt gradient's norm before clipping
   */
  public record PromptResult(double regulariser, double towardStudent, double loss,
      double gradNorm) {}

  public GenKdSteps(GenKdModels models, double gradClip) {
    this.models = models;
    this.gradClip = gradClip;
    this.ps = new ParameterStore(models.manager(), false);
  }

  /** Teacher logits without the prompt, detached: {@code [B, T, V]}. */
  public NDArray teacherLogits(ResponseBatch b) {
    return models.teacher().logits(ps, b.ids(), false).stopGradient();
  }

  /** Teacher logits after the soft prompt, its K prompt positions dropped: {@code [B, T, V]}. */
  public NDArray promptedTeacherLogits(ResponseBatch b, boolean training) {
    int k = models.prompt().length();
    NDArray all = models.teacher().logitsAfterPrompt(ps, models.prompt().array(), b.ids(),
        training);
    return all.get(new NDIndex(":, {}:, :", k));
  }

  /** Student logits, detached: {@code [B, T, V]}. */
  public NDArray studentLogits(ResponseBatch b) {
    return models.student().logits(ps, b.ids(), false).stopGradient();
  }

  /** Cross-entropy of the student on the batch's responses (SFT, SeqKD). */
  public StepResult crossEntropy(ResponseBatch b, double lr) {
    NDArray loss;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      loss = TokenKl.crossEntropy(models.student().logits(ps, b.ids(), true), b.targets(),
          b.mask());
      gc.backward(loss);
    }
    return update(models.studentOptimizer(), loss, lr);
  }

  /** Word-level KD: forward KL(p_T ‖ q_S) on the batch's responses. */
  public StepResult forwardKl(ResponseBatch b, NDArray teacher, double lr) {
    NDArray loss;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      loss = TokenKl.mean(teacher, models.student().logits(ps, b.ids(), true), b.mask());
      gc.backward(loss);
    }
    return update(models.studentOptimizer(), loss, lr);
  }

  /** Reverse KL(q_S ‖ target) on the batch's responses (the student's own samples). */
  public StepResult reverseKl(ResponseBatch b, NDArray target, double lr) {
    NDArray loss;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      loss = TokenKl.mean(models.student().logits(ps, b.ids(), true), target, b.mask());
      gc.backward(loss);
    }
    return update(models.studentOptimizer(), loss, lr);
  }

  /**
   * PromptKD's prompt step, student frozen: {@code weight·KL(p_T′ ‖ p_T) + KL(p_T′ ‖ q_S)}.
   *
   * @param teacher p_T, the unprompted teacher's logits (detached)
   * @param student q_S, the student's logits (detached)
   * @param weight the regulariser's weight 1 − t/T
   */
  public PromptResult promptStep(ResponseBatch b, NDArray teacher, NDArray student,
      double weight, double lr) {
    NDArray reg;
    NDArray pull;
    NDArray loss;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray prompted = promptedTeacherLogits(b, true);
      reg = TokenKl.mean(prompted, teacher, b.mask());
      pull = TokenKl.mean(prompted, student, b.mask());
      loss = reg.mul((float) weight).add(pull);
      gc.backward(loss);
    }
    StepResult r = update(models.promptOptimizer(), loss, lr);
    return new PromptResult(reg.getFloat(), pull.getFloat(), r.loss(), r.gradNorm());
  }

  private StepResult update(AdamW optimizer, NDArray loss, double lr) {
    double norm = optimizer.clipGradients(gradClip);
    optimizer.step(lr);
    return new StepResult(loss.getFloat(), norm);
  }
}
