package io.distillery.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtProvider;
import io.distillery.core.BadInputException;
import io.distillery.core.ExitCode;
import io.distillery.core.ModelLoadException;
import io.distillery.runtime.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sessions on this machine's onnxruntime build (the CPU jar unless built with -Pgpu). */
class SessionFactoryTest {
  private static final Path MODEL = TestModels.minilmInt8().resolve("model.onnx");

  private final List<String> log = new ArrayList<>();

  @Test
  void cpuIsAlwaysAvailable() {
    assertTrue(SessionFactory.availableProviders().contains(OrtProvider.CPU));
    assertTrue(SessionFactory.availableDevices().contains(Device.CPU));
    assertTrue(SessionFactory.availableDevices().contains(Device.AUTO));
  }

  @Test
  void explicitCpuOpensQuietly() {
    SessionFactory factory = new SessionFactory(SessionFactory.availableProviders(), log::add);
    try (ModelSession session = factory.open(MODEL, SessionConfig.cpu().withIntraOpThreads(1))) {
      assertEquals(Device.CPU, session.device());
      assertEquals(Device.CPU, session.requested());
      assertEquals(MODEL, session.modelPath());
      assertTrue(session.inputNames().contains("input_ids"));
    }
    assertEquals(List.of(), log);
  }

  @Test
  void autoOnThisBuildLogsOneLine() {
    assumeFalse(SessionFactory.availableProviders().contains(OrtProvider.CUDA), "GPU build");
    SessionFactory factory = new SessionFactory(SessionFactory.availableProviders(), log::add);
    try (ModelSession session = factory.open(MODEL, SessionConfig.defaults())) {
      assertEquals(Device.CPU, session.device());
      assertEquals(Device.AUTO, session.requested());
    }
    assertEquals(1, log.size());
    assertTrue(log.get(0).startsWith("distillery: " + MODEL + " runs on CPU (auto: "), log.get(0));
  }

  @Test
  void autoFallsBackToCpuWhenGpuProvidersFailToStart() {
    assumeFalse(SessionFactory.availableProviders().contains(OrtProvider.CUDA), "GPU build");
    // Claim TensorRT and CUDA: onnxruntime really tries to add them, fails on this build, and the
    // session falls back to CPU with one line saying why.
    SessionFactory factory = new SessionFactory(
        EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA, OrtProvider.TENSOR_RT), log::add);
    try (ModelSession session = factory.open(MODEL, SessionConfig.defaults())) {
      assertEquals(Device.CPU, session.device());
    }
    assertEquals(1, log.size(), log.toString());
    String line = log.get(0);
    assertTrue(line.startsWith("distillery: " + MODEL + " runs on CPU (auto: fell back: TENSORRT failed: "), line);
    assertTrue(line.contains("; CUDA failed: "), line);
    assertFalse(line.contains("\n"));
  }

  @Test
  void explicitGpuThatFailsToStartIsBadInput() {
    assumeFalse(SessionFactory.availableProviders().contains(OrtProvider.CUDA), "GPU build");
    SessionFactory claimsCuda = new SessionFactory(EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA), log::add);
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> claimsCuda.open(MODEL, SessionConfig.cpu().withDevice(Device.CUDA)));
    assertTrue(e.getMessage().startsWith(MODEL + ": execution provider CUDA failed to start ("), e.getMessage());
    assertTrue(e.getMessage().endsWith("available [CPU, CUDA]; use device auto to fall back to CPU"), e.getMessage());
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());

    SessionFactory real = new SessionFactory(SessionFactory.availableProviders(), log::add);
    BadInputException missing = assertThrows(BadInputException.class,
        () -> real.open(MODEL, SessionConfig.cpu().withDevice(Device.TENSORRT)));
    assertTrue(missing.getMessage().contains("TENSOR_RT is not in this onnxruntime build"), missing.getMessage());
    assertEquals(List.of(), log);
  }

  @Test
  void missingModelIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("model.onnx");
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> new SessionFactory().open(missing, SessionConfig.cpu()));
    assertEquals(missing + ": not found", e.getMessage());
  }

  @Test
  void garbageModelIsNamedOnOneLine(@TempDir Path dir) throws IOException {
    Path garbage = dir.resolve("model.onnx");
    byte[] bytes = new byte[4096];
    new Random(1).nextBytes(bytes);
    Files.write(garbage, bytes);
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> new SessionFactory().open(garbage, SessionConfig.cpu()));
    // refused by the file check before onnxruntime sees it
    assertTrue(e.getMessage().startsWith(garbage + ": not an ONNX model ("), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
  }
}
