package io.distillery.genkd.loss;

import ai.djl.ndarray.NDArray;

/**
 * Token-level KL divergences between two next-token distributions given as logits, averaged
 * over the response positions only: {@code KL(p ‖ q) = Σ_v p_v (log p_v − log q_v)} at each
 * position, then {@code Σ_pos mask · KL / Σ_pos mask}.
 *
 * <p>PromptKD uses three: the prompt regulariser KL(p_T′ ‖ p_T), the prompt's pull toward the
 * student KL(p_T′ ‖ q_S) (both train the prompt through p_T′) and the student's reverse KL
 * KL(q_S ‖ p_T′); word-level KD is the forward KL(p_T ‖ q_S).
 */
public final class TokenKl {
  private TokenKl() {}

  /**
   * Mean KL(p ‖ q) over masked positions.
   *
   * @param pLogits logits of p {@code [B, T, V]}
   * @param qLogits logits of q {@code [B, T, V]}
   * @param mask 1 at response positions, 0 elsewhere {@code [B, T]} (float)
   * @return a scalar
   */
  public static NDArray mean(NDArray pLogits, NDArray qLogits, NDArray mask) {
    return perPosition(pLogits, qLogits).mul(mask).sum().div(mask.sum().maximum(1f));
  }

  /** KL(p ‖ q) at every position {@code [B, T]}. */
  public static NDArray perPosition(NDArray pLogits, NDArray qLogits) {
    NDArray logP = pLogits.logSoftmax(-1);
    NDArray logQ = qLogits.logSoftmax(-1);
    return logP.exp().mul(logP.sub(logQ)).sum(new int[] {-1});
  }

  /** Mean cross-entropy −log q(target) over masked positions (SFT, SeqKD). */
  public static NDArray crossEntropy(NDArray qLogits, NDArray targets, NDArray mask) {
    NDArray logQ = qLogits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1);
    return logQ.mul(mask).sum().div(mask.sum().maximum(1f)).neg();
  }
}
