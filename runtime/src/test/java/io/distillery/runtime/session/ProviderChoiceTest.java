package io.distillery.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtProvider;
import io.distillery.core.BadInputException;
import io.distillery.core.ConfigException;
import io.distillery.core.ExitCode;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The provider choice as a pure function: available set in, providers to try out. */
class ProviderChoiceTest {
  private static final Set<OrtProvider> CPU_ONLY = EnumSet.of(OrtProvider.CPU);
  private static final Set<OrtProvider> WITH_CUDA = EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA);
  private static final Set<OrtProvider> WITH_TENSORRT =
      EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA, OrtProvider.TENSOR_RT);

  @Test
  void autoPrefersTensorRtThenCudaAndAlwaysEndsOnCpu() {
    assertEquals(List.of(Device.CPU), ProviderChoice.plan(Device.AUTO, CPU_ONLY).candidates());
    assertEquals(List.of(Device.CUDA, Device.CPU), ProviderChoice.plan(Device.AUTO, WITH_CUDA).candidates());
    assertEquals(
        List.of(Device.TENSORRT, Device.CUDA, Device.CPU),
        ProviderChoice.plan(Device.AUTO, WITH_TENSORRT).candidates());
    assertEquals(
        List.of(Device.CPU),
        ProviderChoice.plan(Device.AUTO, EnumSet.of(OrtProvider.CPU, OrtProvider.DNNL)).candidates());
  }

  @Test
  void explicitDevicesAreTriedAloneWithoutFallback() {
    assertEquals(List.of(Device.CPU), ProviderChoice.plan(Device.CPU, WITH_TENSORRT).candidates());
    assertEquals(List.of(Device.CUDA), ProviderChoice.plan(Device.CUDA, WITH_TENSORRT).candidates());
    assertEquals(List.of(Device.TENSORRT), ProviderChoice.plan(Device.TENSORRT, WITH_TENSORRT).candidates());
  }

  @Test
  void explicitGpuOnACpuBuildIsBadInputNamingProviderAndAvailable() {
    BadInputException cuda =
        assertThrows(BadInputException.class, () -> ProviderChoice.plan(Device.CUDA, CPU_ONLY));
    assertEquals(ExitCode.BAD_INPUT, cuda.exitCode());
    assertTrue(cuda.getMessage().startsWith("device cuda: execution provider CUDA is not in this onnxruntime build (available: [CPU])"),
        cuda.getMessage());
    BadInputException trt =
        assertThrows(BadInputException.class, () -> ProviderChoice.plan(Device.TENSORRT, WITH_CUDA));
    assertTrue(trt.getMessage().contains("TENSOR_RT is not in this onnxruntime build (available: [CPU, CUDA])"),
        trt.getMessage());
  }

  @Test
  void logLineSaysWhichProviderRunsAndWhy() {
    Path model = Path.of("teacher", "model.onnx");
    assertEquals(
        "distillery: " + model + " runs on CPU (auto: no GPU provider in this onnxruntime build, available [CPU])",
        ProviderChoice.plan(Device.AUTO, CPU_ONLY).logLine(model, Device.CPU, List.of()));
    assertEquals(
        "distillery: " + model + " runs on CPU (auto: fell back: CUDA failed: no GPU)",
        ProviderChoice.plan(Device.AUTO, WITH_CUDA).logLine(model, Device.CPU, List.of("CUDA failed: no GPU")));
    assertEquals(
        "distillery: " + model + " runs on CUDA (auto: best of available [CPU, CUDA])",
        ProviderChoice.plan(Device.AUTO, WITH_CUDA).logLine(model, Device.CUDA, List.of()));
  }

  @Test
  void sessionConfigIsValidated() {
    assertThrows(ConfigException.class, () -> new SessionConfig(null, 0, OptimizationLevel.ALL));
    assertThrows(ConfigException.class, () -> new SessionConfig(Device.CPU, -1, OptimizationLevel.ALL));
    assertThrows(ConfigException.class, () -> new SessionConfig(Device.CPU, 0, null));
    assertEquals(4, SessionConfig.cpu().withIntraOpThreads(4).intraOpThreads());
    assertEquals(Device.AUTO, SessionConfig.defaults().device());
  }
}
