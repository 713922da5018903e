package io.distillery.genkd.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The README table: one row per label (teacher first), each cell the mean over that label's runs
 * (training seeds) ± the standard deviation across runs, with the runs and samples per cell.
 */
public final class ResultsTable {
  private ResultsTable() {}

  /** One row: means and standard deviations across runs. */
  public record Row(String label, int runs, int samplesPerRun, double rougeReference,
      double rougeReferenceSd, double rougeTeacher, double rougeTeacherSd, double perplexity,
      double perplexitySd) {}

  public static List<Row> rows(List<GenKdEvaluation.ModelScore> scores) {
    Map<String, List<GenKdEvaluation.ModelScore>> by = new LinkedHashMap<>();
    for (GenKdEvaluation.ModelScore s : scores) {
      by.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s);
    }
    List<Row> rows = new ArrayList<>();
    for (var e : by.entrySet()) {
      List<GenKdEvaluation.ModelScore> l = e.getValue();
      double[] ref = l.stream().mapToDouble(GenKdEvaluation.ModelScore::rougeReference).toArray();
      double[] tea = l.stream().mapToDouble(GenKdEvaluation.ModelScore::rougeTeacher).toArray();
      double[] ppl = l.stream().mapToDouble(GenKdEvaluation.ModelScore::perplexity).toArray();
      rows.add(new Row(e.getKey(), l.size(), l.get(0).samples(), mean(ref), sd(ref), mean(tea),
          sd(tea), mean(ppl), sd(ppl)));
    }
    return rows;
  }

  public static String markdown(GenKdEvaluation.Report r) {
    StringBuilder b = new StringBuilder();
    b.append("| | runs x samples | ROUGE-L vs reference | ROUGE-L vs teacher samples |"
        + " held-out perplexity |\n|---|---|---|---|---|\n");
    for (Row row : rows(r.models())) {
      b.append(String.format(Locale.ROOT, "| %s | %d x %d | %.2f ± %.2f | %.2f ± %.2f |"
              + " %.1f ± %.1f |%n", row.label(), row.runs(), row.samplesPerRun(),
          row.rougeReference(), row.rougeReferenceSd(), row.rougeTeacher(), row.rougeTeacherSd(),
          row.perplexity(), row.perplexitySd()));
    }
    if (r.bench() != null) {
      b.append(String.format(Locale.ROOT, "%nNew tokens/s (batch 16, KV cache, %d thread, median"
              + " of %d): teacher %.0f, student %.0f (%.1fx).%n", r.bench().threads(),
          r.bench().reps(), r.bench().teacherTokensPerSecond(), r.bench().studentTokensPerSecond(),
          r.bench().speedup()));
    }
    return b.toString();
  }

  private static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return s / xs.length;
  }

  private static double sd(double[] xs) {
    if (xs.length < 2) {
      return 0;
    }
    double m = mean(xs);
    double s = 0;
    for (double x : xs) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (xs.length - 1));
  }
}
