package io.distillery.spark.bench;

import io.distillery.synth.corpus.CorpusReader;
import io.distillery.synth.corpus.CorpusRecord;
import java.nio.file.Path;

/**
 * How two corpus folders differ: records compared in id order by id, text and label; logits by
 * their largest absolute difference. Both corpora are verified against their manifests first.
 *
 * @param records records compared (the shorter corpus's count)
 * @param sameRecords whether both have the same count and every id, text and label agree
 * @param maxLogitDifference the largest |a - b| over all logits of the compared records
 * @param firstDifference the first disagreeing record, or "" when none
 */
public record CorpusDiff(long records, boolean sameRecords, double maxLogitDifference, String firstDifference) {

  public static CorpusDiff of(Path expected, Path actual) {
    CorpusReader.verify(expected);
    CorpusReader.verify(actual);
    long n = 0;
    double maxDiff = 0;
    String first = "";
    try (CorpusReader a = CorpusReader.open(expected); CorpusReader b = CorpusReader.open(actual)) {
      while (a.hasNext() && b.hasNext()) {
        CorpusRecord x = a.next();
        CorpusRecord y = b.next();
        if (first.isEmpty() && (x.id() != y.id() || !x.text().equals(y.text()) || x.label() != y.label()
            || x.logits().length != y.logits().length)) {
          first = "id " + x.id() + ": \"" + x.text() + "\" (label " + x.label() + ") vs id " + y.id() + ": \""
              + y.text() + "\" (label " + y.label() + ")";
        }
        for (int k = 0; k < Math.min(x.logits().length, y.logits().length); k++) {
          maxDiff = Math.max(maxDiff, Math.abs((double) x.logits()[k] - y.logits()[k]));
        }
        n++;
      }
      if (first.isEmpty() && (a.hasNext() || b.hasNext())) {
        first = (a.hasNext() ? "the second" : "the first") + " corpus ends after " + n + " records";
      }
    }
    return new CorpusDiff(n, first.isEmpty(), maxDiff, first);
  }
}
