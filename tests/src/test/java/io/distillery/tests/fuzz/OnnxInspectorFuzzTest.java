package io.distillery.tests.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.distillery.core.BadInputException;
import io.distillery.export.inspect.OnnxInspector;

/**
 * The ONNX file check and signature inspector on arbitrary bytes (seeds: small real models). The
 * check runs before ONNX Runtime sees a file, so it must refuse anything with a one-line
 * {@link BadInputException} and never throw anything else.
 */
class OnnxInspectorFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void inspect(byte[] bytes) {
    try {
      OnnxInspector.inspect(FuzzFiles.write("onnx/model.onnx", bytes));
    } catch (BadInputException expected) {
      CorpusReaderFuzzTest.oneLine(expected);
    }
  }
}
