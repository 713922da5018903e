package io.distillery.runtime.generate;

/** Whether generation reuses past keys/values between steps. */
public enum CacheMode {
  /** Use the KV cache when the model has {@code past_key_values.*} inputs, else recompute. */
  AUTO,
  /** Require the KV cache: a model without past inputs is an error. */
  ON,
  /** Recompute the whole sequence every step (slow; for checks and models without a cache). */
  OFF
}
