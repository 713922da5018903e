package io.distillery.runtime.classify;

import static io.distillery.runtime.classify.Compare.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.core.ExitCode;
import io.distillery.core.ModelLoadException;
import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.batch.BatchOrder;
import io.distillery.runtime.session.SessionConfig;
import io.distillery.runtime.session.SessionFactory;
import io.distillery.runtime.testing.SharedModels;
import io.distillery.runtime.testing.TestModels;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real classifier: the fp32 all-MiniLM-L6-v2 graph with masked mean pooling and a seeded linear
 * head appended ({@code logits [batch_size, 3]}), checked against the Java reference
 * {@code Encoder.meanPooled . W + b}.
 */
class ClassifierTest {
  private static final SessionFactory SESSIONS = new SessionFactory();
  private static ClassifierModel model;
  private static EncoderModel encoder;

  @BeforeAll
  static void open() {
    model = SharedModels.fp32Classifier();
    encoder = SharedModels.fp32Encoder();
  }

  @Test
  void folderGivesLabelsAndSignature() {
    assertEquals(List.of("negative", "neutral", "positive"), model.labels().names());
    assertEquals(3, model.classifier().signature().numLabels());
    assertTrue(model.classifier().signature().hasTokenTypeIds());
  }

  @Test
  void logitsEqualTheJavaReferenceOfPoolingPlusHead() {
    float[][] logits = model.classifier().logits(Sentences.MIXED);
    float[][] pooled = encoder.encoder().meanPooled(Sentences.MIXED);
    float[][] w = TestModels.headWeights();
    float[] b = TestModels.headBias();
    float[][] expected = new float[pooled.length][b.length];
    for (int i = 0; i < pooled.length; i++) {
      for (int l = 0; l < b.length; l++) {
        double sum = b[l];
        for (int k = 0; k < w.length; k++) {
          sum += pooled[i][k] * w[k][l];
        }
        expected[i][l] = (float) sum;
      }
    }
    assertClose(expected, logits, 1e-3);
    // The head is not degenerate: the texts do not all get the same label.
    assertTrue(java.util.Arrays.stream(logits).mapToInt(Logits::argmax).distinct().count() > 1);
  }

  @Test
  void bucketedAndFileOrderAgreeAndKeepInputOrder() {
    float[][] bucketed = classifier(3, BatchOrder.LENGTH_BUCKETED).logits(Sentences.MIXED);
    float[][] fileOrder = classifier(3, BatchOrder.FILE_ORDER).logits(Sentences.MIXED);
    assertClose(fileOrder, bucketed, 1e-5);
    // Reordering the input reorders the output the same way.
    List<String> reversed = new java.util.ArrayList<>(Sentences.MIXED);
    java.util.Collections.reverse(reversed);
    float[][] back = classifier(3, BatchOrder.LENGTH_BUCKETED).logits(reversed);
    for (int i = 0; i < back.length; i++) {
      assertClose(new float[][] {bucketed[bucketed.length - 1 - i]}, new float[][] {back[i]}, 1e-5);
    }
  }

  @Test
  void batchEqualsOneByOne() {
    float[][] batch = classifier(32, BatchOrder.LENGTH_BUCKETED).logits(Sentences.MIXED);
    Classifier single = classifier(1, BatchOrder.FILE_ORDER);
    for (int i = 0; i < Sentences.MIXED.size(); i++) {
      assertClose(single.logits(List.of(Sentences.MIXED.get(i))), new float[][] {batch[i]}, 1e-4);
    }
  }

  @Test
  void bucketingPadsLessThanFileOrder() {
    Classifier bucketed = classifier(4, BatchOrder.LENGTH_BUCKETED);
    Classifier fileOrder = classifier(4, BatchOrder.FILE_ORDER);
    bucketed.logits(Sentences.MIXED);
    fileOrder.logits(Sentences.MIXED);
    ClassifierStats b = bucketed.stats();
    ClassifierStats f = fileOrder.stats();
    assertEquals(f.realTokens(), b.realTokens());
    assertEquals(3, b.batches());
    assertEquals(1, b.truncatedTexts());
    assertTrue(b.paddedPositions() < f.paddedPositions(), b + " vs " + f);
    assertTrue(b.paddingEfficiency() > f.paddingEfficiency());
  }

  @Test
  void emptyInputGivesNoRows() {
    assertEquals(0, model.classifier().logits(List.of()).length);
  }

  @Test
  void anEncoderIsNotAClassifier() {
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> ClassifierModel.open(TestModels.minilmInt8(), SESSIONS, SessionConfig.cpu(), BatchConfig.defaults()));
    assertEquals(TestModels.minilmInt8().resolve("model.onnx")
        + ": no output 'logits' (has [last_hidden_state]); expected a text classifier with a float logits [batch, labels] output",
        e.getMessage());
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertFalse(e.getMessage().contains("\n"));
  }

  private static Classifier classifier(int batchSize, BatchOrder order) {
    return new Classifier(model.session(), model.tokenizer(), new BatchConfig(batchSize, order));
  }
}
