package io.distillery.cli;

import io.distillery.core.Json;
import io.distillery.runtime.classify.ClassifierModel;
import io.distillery.runtime.eval.ClassificationReport;
import io.distillery.runtime.eval.Evaluator;
import io.distillery.runtime.session.SessionFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distillery eval}: accuracy, macro-F1 and confusion matrix on labelled data. */
@Command(
    name = "eval",
    description = "Score a classifier on labelled JSON Lines: accuracy, macro-F1, per-label "
        + "precision/recall/F1 and the confusion matrix.")
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RuntimeOptions runtime;

  @Option(names = "--model", required = true, description = "Classifier folder.")
  Path model;

  @Option(names = "--data", required = true, description = "Labelled JSON Lines (text + gold label id or name).")
  Path data;

  @Option(names = "--text-field", defaultValue = "text", description = "Text field (default: ${DEFAULT-VALUE}).")
  String textField;

  @Option(names = "--label-field", defaultValue = "label", description = "Gold label field (default: ${DEFAULT-VALUE}).")
  String labelField;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (ClassifierModel cm =
        ClassifierModel.open(model, new SessionFactory(), runtime.sessionConfig(), runtime.batchConfig())) {
      ClassificationReport r = Evaluator.evaluate(cm, data, textField, labelField);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.toString());
        m.put("data", data.toString());
        m.put("examples", r.examples());
        m.put("report", r);
        out.println(Json.MAPPER.writeValueAsString(m));
      } else {
        print(out, r);
      }
    }
    return 0;
  }

  private void print(PrintWriter out, ClassificationReport r) {
    out.printf(Locale.ROOT, "model     %s%ndata      %s (%d examples)%n", model, data, r.examples());
    out.printf(Locale.ROOT, "accuracy  %.4f%nmacro-F1  %.4f%n%n", r.accuracy(), r.macroF1());
    out.printf("%-12s %9s %9s %9s %9s%n", "label", "precision", "recall", "f1", "support");
    for (ClassificationReport.PerLabel p : r.perLabel()) {
      out.printf(Locale.ROOT, "%-12s %9.4f %9.4f %9.4f %9d%n",
          p.label(), p.precision(), p.recall(), p.f1(), p.support());
    }
    out.printf("%nconfusion (rows: gold, columns: predicted)%n%-12s", "");
    for (String l : r.labels()) {
      out.printf(" %9s", l);
    }
    out.println();
    for (int i = 0; i < r.labels().size(); i++) {
      out.printf("%-12s", r.labels().get(i));
      for (long v : r.confusion()[i]) {
        out.printf(" %9d", v);
      }
      out.println();
    }
  }
}
