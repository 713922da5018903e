package io.distillery.runtime.generate;

/**
 * Where the per-token passes over the vocabulary run (choosing the next token, its
 * log-probability): {@link #GRAPH} in a small ONNX Runtime graph on the model's logits tensor
 * ({@link LogitsReducer}), {@link #JAVA} by copying the logits out and looping over them in Java
 * (the path before 2026-12-06, kept as a baseline and used where sampling needs every logit).
 * Both choose the same tokens; log-probabilities agree to float rounding.
 */
public enum TokenScoring {
  GRAPH,
  JAVA
}
