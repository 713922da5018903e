package io.distillery.runtime.bench;

import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Writes a teacher-vs-students bench as {@code report.json} (every figure), {@code report.md} (the
 * table) and {@code report.png} (four bar charts: p50 latency, throughput, size, accuracy).
 */
public final class BenchReportFiles {
  private BenchReportFiles() {}

  public static void write(ModelBench.Report r, Path dir) {
    try {
      AtomicFiles.writeString(dir.resolve("report.json"), Json.MAPPER.writeValueAsString(r) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AtomicFiles.writeString(dir.resolve("report.md"), markdown(r));
    BufferedImage png = chart(r);
    AtomicFiles.write(dir.resolve("report.png"), out -> ImageIO.write(png, "png", out));
  }

  /** The table printed by {@code distillery bench} and written to report.md. */
  public static String markdown(ModelBench.Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "| model | params | model.onnx | p50 ms | p95 ms | p99 ms | texts/s @%d | accuracy | agreement |%n",
        r.config().batchSize()));
    sb.append("|---|---|---|---|---|---|---|---|---|\n");
    for (ModelBench.ModelFigures m : r.models()) {
      sb.append(String.format(Locale.ROOT, "| %s | %.2f M | %.1f MB | %.2f | %.2f | %.2f | %.1f | %s | %s |%n",
          m.role(), m.parameters() / 1e6, m.modelBytes() / 1e6, m.p50Ms(), m.p95Ms(), m.p99Ms(),
          m.batchTextsPerSec(), fmt(m.accuracy()), fmt(m.agreementWithTeacher())));
    }
    sb.append(String.format(Locale.ROOT,
        "%nstudent vs teacher: p50 latency %.1fx lower, throughput %.1fx higher, %.1fx smaller on disk",
        r.latencyP50Speedup(), r.throughputSpeedup(), r.sizeRatio()));
    if (!Double.isNaN(r.accuracyRetained())) {
      sb.append(String.format(Locale.ROOT, ", %.1f%% of the teacher's accuracy", 100 * r.accuracyRetained()));
    }
    sb.append(String.format(Locale.ROOT, ".%n%d texts%s, %d thread(s), %d latency runs in turns of %d"
        + " calls per model, %d throughput passes (medians).%n",
        r.texts(), r.data() == null ? "" : " from " + r.data(), r.config().threads(),
        r.config().latencyRuns(), ModelBench.LATENCY_BLOCK, r.config().throughputReps()));
    ModelBench.ModelFigures t = r.models().get(0);
    ModelBench.ModelFigures s = r.models().get(1);
    if (t.p50ColdMs() > 0 && s.p50ColdMs() > 0) { // reports written before this figure lack it
      sb.append(String.format(Locale.ROOT, "Cold-cache p50 (each call right after the other"
          + " model's): teacher %.2f ms, student %.2f ms, %.1fx.%n", t.p50ColdMs(), s.p50ColdMs(),
          r.coldLatencyP50Speedup()));
    }
    List<ModelBench.StudentRatios> students = r.students() == null ? List.of() : r.students();
    for (ModelBench.StudentRatios x : students.subList(Math.min(1, students.size()), students.size())) {
      sb.append(String.format(Locale.ROOT, "%s vs %s: p50 latency %.2fx lower (%.1fx below the"
          + " teacher's), throughput %.1fx the teacher's, %.1fx smaller than the teacher on disk,"
          + " argmax agreement %.4f", x.role(), s.role(), x.p50SpeedupOverFirst(),
          x.p50SpeedupOverTeacher(), x.throughputOverTeacher(), x.sizeRatioToTeacher(),
          x.agreementWithFirst()));
      if (!Double.isNaN(x.accuracyPointsVsFirst())) {
        sb.append(String.format(Locale.ROOT, ", accuracy %+.2f points", x.accuracyPointsVsFirst()));
      }
      sb.append(".\n");
    }
    return sb.toString();
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static BufferedImage chart(ModelBench.Report r) {
    int w = 1200;
    int h = 800;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    List<CategoryChart> charts = List.of(
        bar("p50 latency, batch 1 (ms)", r, ModelBench.ModelFigures::p50Ms),
        bar("throughput, batch " + r.config().batchSize() + " (texts/s)", r,
            ModelBench.ModelFigures::batchTextsPerSec),
        bar("model.onnx size (MB)", r, m -> m.modelBytes() / 1e6),
        bar("accuracy", r, m -> Double.isNaN(m.accuracy()) ? 0 : m.accuracy()));
    for (int i = 0; i < charts.size(); i++) {
      Graphics2D sub = (Graphics2D) g.create((i % 2) * w / 2, (i / 2) * h / 2, w / 2, h / 2);
      charts.get(i).paint(sub, w / 2, h / 2);
      sub.dispose();
    }
    g.dispose();
    return img;
  }

  private static CategoryChart bar(String title, ModelBench.Report r,
      ToDoubleFunction<ModelBench.ModelFigures> value) {
    CategoryChart c = new CategoryChartBuilder().width(600).height(400).title(title).build();
    c.getStyler().setLegendVisible(false);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    c.getStyler().setLabelsVisible(true);
    c.getStyler().setDecimalPattern("#,##0.###");
    c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    List<String> names = r.models().stream().map(ModelBench.ModelFigures::role).toList();
    List<Double> values = r.models().stream().map(m -> value.applyAsDouble(m)).toList();
    c.addSeries(title, names, values);
    return c;
  }
}
