package io.distillery.export.check;

import io.distillery.export.ExportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs the reference ONNX checker ({@code onnx.checker.check_model(model, full_check=True)}, which
 * includes strict shape inference) from the system Python, {@value #PYTHON}, in a child process.
 *
 * <p>The model is loaded first and checked in memory: given a path with {@code full_check=True},
 * onnx 1.12 writes the inferred shapes back into the file, and a check must not change what it
 * checks.
 */
public final class OnnxChecker {
  /** The interpreter that has the {@code onnx} package (python3-onnx); not the one on PATH. */
  public static final String PYTHON = "/usr/bin/python3";

  private static final int NO_ONNX = 3;
  private static final String SCRIPT = String.join("\n",
      "import sys",
      "try:",
      "    import onnx",
      "except ImportError as e:",
      "    print(e); sys.exit(" + NO_ONNX + ")",
      "if len(sys.argv) > 1:",
      "    try:",
      "        onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)",
      "    except Exception as e:",
      "        print(type(e).__name__ + ': ' + ' '.join(str(e).split())); sys.exit(1)");
  private static final long TIMEOUT_MINUTES = 10;

  private OnnxChecker() {}

  /** Whether {@value #PYTHON} exists and can import {@code onnx}. */
  public static boolean isAvailable() {
    try {
      return run().exitCode == 0;
    } catch (ExportException e) {
      return false;
    }
  }

  /**
   * Checks one model file; returns normally if the checker accepts it.
   *
   * @throws ExportException with the checker's message if it rejects the model, or if the checker
   *     cannot run (no python3-onnx)
   */
  public static void check(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ExportException(file + ": cannot check, no such file");
    }
    Result r = run(file.toAbsolutePath().toString());
    if (r.exitCode == NO_ONNX) {
      throw new ExportException(file + ": cannot run the ONNX checker, " + PYTHON
          + " cannot import onnx (" + r.output + "); install python3-onnx");
    }
    if (r.exitCode != 0) {
      throw new ExportException(file + ": ONNX checker rejected the model: " + r.output);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover log in the temp folder is harmless
      }
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String... args) {
    String[] command = new String[3 + args.length];
    command[0] = PYTHON;
    command[1] = "-c";
    command[2] = SCRIPT;
    System.arraycopy(args, 0, command, 3, args.length);
    Path log = null;
    try {
      log = Files.createTempFile("distillery-onnx-checker", ".log");
      Process p = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new ExportException("ONNX checker did not finish in " + TIMEOUT_MINUTES + " min");
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      return new Result(p.exitValue(), out.strip().replaceAll("\\s+", " "));
    } catch (IOException e) {
      throw new ExportException("cannot run " + PYTHON + " (" + e.getMessage() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExportException("interrupted while running the ONNX checker", e);
    } finally {
      deleteQuietly(log);
    }
  }
}
