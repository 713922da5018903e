package io.distillery.runtime.bench;

import io.distillery.core.BadInputException;
import io.distillery.runtime.generate.CausalLm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * How close two exports of a causal LM are (e.g. int8 against fp32), by teacher forcing on the
 * same texts: each model's bits per byte of the texts, the mean KL(a ‖ b) of their next-token
 * distributions, and how often their most likely next tokens agree.
 */
public final class LmAgreement {
  private LmAgreement() {}

  /**
   * The comparison.
   *
   * @param texts texts scored (those with at least 2 tokens)
   * @param tokens next tokens scored
   * @param bitsPerByteA model a's negative log-likelihood of the texts, in bits per UTF-8 byte
   * @param bitsPerByteB the same for model b
   * @param klPerToken mean KL(a ‖ b) of the next-token distributions, in nats
   * @param argmaxAgreement share of positions where both models' most likely next token agree
   */
  public record Result(int texts, long tokens, double bitsPerByteA, double bitsPerByteB,
      double klPerToken, double argmaxAgreement) {}

  /** Compares {@code a} and {@code b} on the first {@code maxTokens} tokens of each text. */
  public static Result compare(CausalLm a, CausalLm b, List<String> texts, int maxTokens) {
    double nllA = 0;
    double nllB = 0;
    double kl = 0;
    long tokens = 0;
    long agree = 0;
    long bytes = 0;
    int scored = 0;
    for (String text : texts) {
      long[] all = a.tokenizer().encode(text);
      if (all.length < 2) {
        continue;
      }
      long[] ids = Arrays.copyOf(all, Math.min(all.length, Math.min(maxTokens, a.context())));
      float[] la = a.logits(ids);
      float[] lb = b.logits(ids);
      if (la.length != lb.length) {
        throw new BadInputException("the two models score " + la.length / ids.length + " and "
            + lb.length / ids.length + " tokens: compare exports of one vocabulary");
      }
      int v = la.length / ids.length;
      double[] pa = new double[v];
      double[] pb = new double[v];
      for (int t = 0; t + 1 < ids.length; t++) {
        logSoftmax(la, t * v, pa);
        logSoftmax(lb, t * v, pb);
        int next = (int) ids[t + 1];
        nllA -= pa[next];
        nllB -= pb[next];
        int bestA = 0;
        int bestB = 0;
        for (int i = 0; i < v; i++) {
          kl += Math.exp(pa[i]) * (pa[i] - pb[i]);
          bestA = pa[i] > pa[bestA] ? i : bestA;
          bestB = pb[i] > pb[bestB] ? i : bestB;
        }
        agree += bestA == bestB ? 1 : 0;
        tokens++;
      }
      bytes += a.tokenizer().decode(Arrays.copyOfRange(ids, 1, ids.length))
          .getBytes(StandardCharsets.UTF_8).length;
      scored++;
    }
    if (tokens == 0) {
      throw new BadInputException("no text of at least 2 tokens to score");
    }
    double perByte = Math.log(2) * Math.max(1, bytes);
    return new Result(scored, tokens, nllA / perByte, nllB / perByte, kl / tokens,
        agree / (double) tokens);
  }

  private static void logSoftmax(float[] logits, int offset, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < out.length; i++) {
      max = Math.max(max, logits[offset + i]);
    }
    double z = 0;
    for (int i = 0; i < out.length; i++) {
      z += Math.exp(logits[offset + i] - max);
    }
    double logZ = max + Math.log(z);
    for (int i = 0; i < out.length; i++) {
      out[i] = logits[offset + i] - logZ;
    }
  }
}
