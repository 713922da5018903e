package io.distillery.runtime.testing;

import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.classify.EncoderModel;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;

/**
 * Models opened once per test JVM and shared by the test classes (surefire reuses one fork), since
 * opening the 90 MB fp32 encoder takes seconds. Tests only borrow them: they never close them.
 */
public final class SharedModels {
  private static EncoderModel fp32Encoder;
  private static EncoderModel int8Encoder;
  private static ClassifierModel fp32Classifier;

  private SharedModels() {}

  public static synchronized EncoderModel fp32Encoder() {
    if (fp32Encoder == null) {
      fp32Encoder = EncoderModel.open(
          TestModels.minilmFp32(), new SessionFactory(), SessionConfig.cpu(), BatchConfig.defaults());
    }
    return fp32Encoder;
  }

  public static synchronized EncoderModel int8Encoder() {
    if (int8Encoder == null) {
      int8Encoder = EncoderModel.open(
          TestModels.minilmInt8(), new SessionFactory(), SessionConfig.cpu(), BatchConfig.defaults());
    }
    return int8Encoder;
  }

  /** The fp32 encoder with masked mean pooling and the seeded 3-label head, as an ONNX classifier. */
  public static synchronized ClassifierModel fp32Classifier() {
    if (fp32Classifier == null) {
      fp32Classifier = ClassifierModel.open(
          TestModels.classifier(TestModels.minilmFp32()), new SessionFactory(), SessionConfig.cpu(),
          BatchConfig.defaults());
    }
    return fp32Classifier;
  }
}
