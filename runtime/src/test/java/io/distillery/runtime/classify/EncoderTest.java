package io.distillery.runtime.classify;

import static io.distillery.runtime.classify.Compare.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distillery.runtime.batch.BatchConfig;
import io.distillery.runtime.batch.BatchOrder;
import io.distillery.runtime.session.Device;
import io.distillery.runtime.testing.SharedModels;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactness tests run on the fp32 encoder: the int8 one quantizes activations dynamically with one
 * scale per tensor, so its outputs depend on which texts share the batch (see {@link
 * #int8DependsOnBatchMatesButStaysCloseToFp32}).
 */
class EncoderTest {
  private static EncoderModel fp32;
  private static EncoderModel int8;

  @BeforeAll
  static void open() {
    fp32 = SharedModels.fp32Encoder();
    int8 = SharedModels.int8Encoder();
  }

  @Test
  void signatureIsReadFromTheModel() {
    assertEquals(384, fp32.encoder().signature().hiddenSize());
    assertTrue(fp32.encoder().signature().hasTokenTypeIds());
    assertEquals(Device.CPU, fp32.session().device());
  }

  @Test
  void bucketedAndFileOrderAgreeAndKeepInputOrder() {
    float[][] bucketed = encoder(fp32, 4, BatchOrder.LENGTH_BUCKETED).meanPooled(Sentences.MIXED);
    float[][] fileOrder = encoder(fp32, 4, BatchOrder.FILE_ORDER).meanPooled(Sentences.MIXED);
    assertClose(fileOrder, bucketed, 1e-5);
  }

  @Test
  void batchEqualsOneByOne() {
    float[][] batch = encoder(fp32, 32, BatchOrder.LENGTH_BUCKETED).meanPooled(Sentences.MIXED);
    Encoder single = encoder(fp32, 1, BatchOrder.FILE_ORDER);
    for (int i = 0; i < Sentences.MIXED.size(); i++) {
      float[][] one = single.meanPooled(List.of(Sentences.MIXED.get(i)));
      assertClose(one, new float[][] {batch[i]}, 1e-4);
    }
  }

  @Test
  void paddingIsDynamicAndTruncationIsCounted() {
    Encoder encoder = encoder(fp32, 4, BatchOrder.LENGTH_BUCKETED);
    encoder.meanPooled(List.of("Hello, world!", "Short.", "Also short, a little longer."));
    ClassifierStats shortStats = encoder.stats();
    assertEquals(3, shortStats.texts());
    assertEquals(1, shortStats.batches());
    assertEquals(9, shortStats.longestSeqLength(), "padded to the longest row, not to 128");
    assertEquals(27, shortStats.paddedPositions());
    assertEquals(6 + 4 + 9, shortStats.realTokens());
    assertEquals(0, shortStats.truncatedTexts());

    encoder.meanPooled(Sentences.MIXED);
    ClassifierStats total = encoder.stats();
    assertEquals(3 + 12, total.texts());
    assertEquals(1, total.truncatedTexts(), "the 400-word text is cut to 128 tokens, not rejected");
    assertEquals(128, total.longestSeqLength());
  }

  @Test
  void similarSentencesAreCloserThanUnrelatedOnes() {
    float[][] e = fp32.encoder().meanPooled(List.of(
        "The food was delicious.", "The meal tasted great.", "The train leaves at noon."));
    assertTrue(Compare.cosine(e[0], e[1]) > Compare.cosine(e[0], e[2]) + 0.2);
  }

  @Test
  void int8DependsOnBatchMatesButStaysCloseToFp32() {
    float[][] reference = encoder(fp32, 32, BatchOrder.FILE_ORDER).meanPooled(Sentences.MIXED);
    float[][] batched = encoder(int8, 32, BatchOrder.FILE_ORDER).meanPooled(Sentences.MIXED);
    Encoder single = encoder(int8, 1, BatchOrder.FILE_ORDER);
    for (int i = 0; i < Sentences.MIXED.size(); i++) {
      float[] alone = single.meanPooled(List.of(Sentences.MIXED.get(i)))[0];
      assertTrue(Compare.cosine(reference[i], alone) > 0.9, "int8 alone vs fp32, text " + i);
      assertTrue(Compare.cosine(reference[i], batched[i]) > 0.9, "int8 batched vs fp32, text " + i);
    }
  }

  private static Encoder encoder(EncoderModel model, int batchSize, BatchOrder order) {
    return new Encoder(model.session(), model.tokenizer(), new BatchConfig(batchSize, order));
  }
}
