package io.distillery.runtime.session;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/** onnxruntime graph optimisation level applied when a session is opened. */
public enum OptimizationLevel {
  NONE(OptLevel.NO_OPT),
  BASIC(OptLevel.BASIC_OPT),
  EXTENDED(OptLevel.EXTENDED_OPT),
  ALL(OptLevel.ALL_OPT);

  private final OptLevel ort;

  OptimizationLevel(OptLevel ort) {
    this.ort = ort;
  }

  OptLevel ort() {
    return ort;
  }
}
