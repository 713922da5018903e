package io.distillery.genkd.train;

import io.distillery.core.ConfigException;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the student learns from, per step (the loss is averaged over response tokens only).
 *
 * <ul>
 *   <li>{@link #SFT}: cross-entropy on the reference continuations.
 *   <li>{@link #WORD_KD}: word-level KD, forward KL(p_T ‖ q_S) on the reference continuations.
 *   <li>{@link #SEQ_KD}: sequence-level KD, cross-entropy on continuations the teacher samples.
 *   <li>{@link #REVERSE_KL}: reverse KL(q_S ‖ p_T) on continuations the student samples, no
 *       prompt (what PromptKD is without its prompt).
 *   <li>{@link #PROMPT_KD}: on student samples, a prompt step (student frozen)
 *       {@code (1 − t/T)·KL(p_T′ ‖ p_T) + KL(p_T′ ‖ q_S)}, then a student step KL(q_S ‖ p_T′)
 *       with the prompted teacher p_T′.
 * </ul>
 */
public enum GenKdMethod {
  SFT,
  WORD_KD,
  SEQ_KD,
  REVERSE_KL,
  PROMPT_KD;

  /** The name users type: {@code sft}, {@code word-kd}, {@code seq-kd}, ... */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses {@link #cliName()} (also accepts underscores). */
  public static GenKdMethod parse(String s) {
    for (GenKdMethod m : values()) {
      if (m.cliName().equals(s.strip().toLowerCase(Locale.ROOT).replace('_', '-'))) {
        return m;
      }
    }
    throw new ConfigException("method: expected one of " + Arrays.stream(values())
        .map(GenKdMethod::cliName).toList() + ", found '" + s + "'");
  }

  /** Whether the responses trained on are sampled from the student. */
  public boolean onStudentSamples() {
    return this == REVERSE_KL || this == PROMPT_KD;
  }
}
