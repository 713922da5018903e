package io.distillery.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillery.core.AtomicFiles;
import io.distillery.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * The reward curves of a run's learning loops as one PNG beside the bench report: the topic
 * prompter's or the student-guided selection's rounds ({@code learn/rounds.jsonl}) and the T3
 * tuning steps ({@code generator/tuning.jsonl}), one line per reward term.
 */
final class RewardCurves {
  static final String FILE = "reward-curves.png";

  private RewardCurves() {}

  /** Writes {@code benchDir/reward-curves.png} when the run has a learning log; returns it. */
  static Optional<Path> write(Path runDir, Path benchDir) {
    List<XYChart> charts = new ArrayList<>();
    chart(runDir.resolve("generator/tuning.jsonl"), "DFKD-T3 tuning", "step", "step",
        Map.of("reward", "reward", "specificity", "specificity", "novelty", "novelty",
            "agreement", "agreement", "kl", "KL to start (nats/seq)"))
        .ifPresent(charts::add);
    chart(runDir.resolve("learn/rounds.jsonl"), "learning rounds (one per shard)", "round", "round",
        Map.of("reward/total", "reward", "reward/specificity", "specificity",
            "reward/disagreement", "disagreement", "reward/novelty", "novelty",
            "teacher_agrees_with_intended", "teacher agrees", "distinct_2", "distinct-2",
            "pool_mean_disagreement", "pool disagreement"))
        .ifPresent(charts::add);
    if (charts.isEmpty()) {
      return Optional.empty();
    }
    int w = 800;
    int h = 450;
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(w, h * charts.size(), java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = img.createGraphics();
    for (int i = 0; i < charts.size(); i++) {
      java.awt.Graphics2D sub = (java.awt.Graphics2D) g.create(0, i * h, w, h);
      charts.get(i).paint(sub, w, h);
      sub.dispose();
    }
    g.dispose();
    try {
      Files.createDirectories(benchDir);
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      javax.imageio.ImageIO.write(img, "png", png);
      Path out = benchDir.resolve(FILE);
      AtomicFiles.writeBytes(out, png.toByteArray());
      return Optional.of(out);
    } catch (IOException e) {
      throw new UncheckedIOException(benchDir + ": cannot write " + FILE, e);
    }
  }

  /** One line per field ("a/b" = nested) that the log's lines have as numbers. */
  private static Optional<XYChart> chart(Path log, String title, String xField, String xTitle,
      Map<String, String> fields) {
    if (!Files.isRegularFile(log)) {
      return Optional.empty();
    }
    List<JsonNode> lines = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(log)) {
        if (!line.isBlank()) {
          lines.add(Json.MAPPER.readTree(line));
        }
      }
    } catch (IOException e) {
      return Optional.empty(); // a plot is a convenience: an unreadable log just has none
    }
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    XYChart chart = new XYChartBuilder().width(800).height(450).title(title).xAxisTitle(xTitle)
        .build();
    Map<String, String> sorted = new LinkedHashMap<>();
    fields.keySet().stream().sorted().forEach(k -> sorted.put(k, fields.get(k)));
    for (Map.Entry<String, String> f : sorted.entrySet()) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (JsonNode n : lines) {
        JsonNode v = n;
        for (String part : f.getKey().split("/")) {
          v = v.path(part);
        }
        if (v.isNumber() && Double.isFinite(v.asDouble())) {
          x.add(n.path(xField).asDouble());
          y.add(v.asDouble());
        }
      }
      if (!x.isEmpty()) {
        chart.addSeries(f.getValue(), x, y);
      }
    }
    return chart.getSeriesMap().isEmpty() ? Optional.empty() : Optional.of(chart);
  }
}
