package io.distillery.runtime.generate;

/** Why a sequence stopped growing. */
public enum FinishReason {
  /** It produced {@code maxNewTokens} tokens. */
  LENGTH,
  /** It produced the end-of-text token. */
  EOS,
  /** Its text reached one of the stop sequences. */
  STOP_SEQUENCE,
  /** Prompt plus generated tokens filled the model's context. */
  CONTEXT,
  /** The caller's {@link StopCondition} said the text is done. */
  STOP_CONDITION
}
