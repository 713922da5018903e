package io.distillery.cli;

import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.batch.BatchOrder;
import io.distillery.runtime.session.Device;
import io.distillery.runtime.session.OptimizationLevel;
import io.distillery.runtime.session.SessionConfig;
import picocli.CommandLine.Option;

/** Options shared by every command that runs a model through ONNX Runtime. */
public final class RuntimeOptions {
  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "Execution provider: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). "
          + "auto picks the best one present and falls back to cpu.",
      converter = DeviceConverter.class)
  Device device;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "ONNX Runtime intra-op threads (0 = its default: one per core).")
  int threads;

  @Option(names = "--batch-size", defaultValue = "32", description = "Texts per model call.")
  int batchSize;

  @Option(
      names = "--no-bucketing",
      description = "Keep file order in batches instead of grouping similar lengths.")
  boolean noBucketing;

  public SessionConfig sessionConfig() {
    return new SessionConfig(device, threads, OptimizationLevel.ALL);
  }

  public BatchConfig batchConfig() {
    return new BatchConfig(
        batchSize, noBucketing ? BatchOrder.FILE_ORDER : BatchOrder.LENGTH_BUCKETED);
  }

  /** Accepts device names in any case ("cpu", "CUDA"). */
  static final class DeviceConverter implements picocli.CommandLine.ITypeConverter<Device> {
    @Override
    public Device convert(String value) {
      return Device.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    }
  }
}
