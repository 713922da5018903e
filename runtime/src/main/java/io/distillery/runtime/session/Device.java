package io.distillery.runtime.session;

import ai.onnxruntime.OrtProvider;
import java.util.Optional;

/**
 * Where a model runs. {@link #AUTO} picks the best execution provider this onnxruntime build has
 * (TensorRT, then CUDA, then CPU) and falls back to CPU when a GPU provider cannot start.
 */
public enum Device {
  CPU(OrtProvider.CPU),
  CUDA(OrtProvider.CUDA),
  TENSORRT(OrtProvider.TENSOR_RT),
  AUTO(null);

  private final OrtProvider provider;

  Device(OrtProvider provider) {
    this.provider = provider;
  }

  /** The onnxruntime execution provider behind this device; empty for {@link #AUTO}. */
  public Optional<OrtProvider> provider() {
    return Optional.ofNullable(provider);
  }

  /** True for the devices that need a GPU provider. */
  public boolean isGpu() {
    return this == CUDA || this == TENSORRT;
  }
}
