package io.distillery.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * Wraps {@code --help} at spaces only. picocli wraps with Java's line {@code BreakIterator}, which
 * breaks after '.' and '-' ({@code tokenizer.\n json}, {@code OUT.distill-\n work}); here picocli
 * lays the help out on a wide page and each section is re-wrapped at spaces to {@link #WIDTH}
 * columns, continuation lines indented like the description column they belong to.
 */
final class HelpWrap {
  static final int WIDTH = 80;
  private static final int WIDE = 1000;

  private HelpWrap() {}

  /** Applies to {@code cl} and all its subcommands (call after they are added). */
  static void install(CommandLine cl) {
    cl.setUsageHelpWidth(WIDE);
    installSections(cl);
  }

  private static void installSections(CommandLine cl) {
    Map<String, IHelpSectionRenderer> sections = cl.getHelpSectionMap();
    for (Map.Entry<String, IHelpSectionRenderer> e : sections.entrySet()) {
      IHelpSectionRenderer original = e.getValue();
      if (e.getKey().equals(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS)) {
        e.setValue(help -> wrapSynopsis(original.render(help), WIDTH));
      } else {
        e.setValue(help -> wrap(original.render(help), WIDTH));
      }
    }
    cl.setHelpSectionMap(sections);
    cl.getSubcommands().values().forEach(HelpWrap::installSections);
  }

  /** Re-wraps every line longer than {@code width} at spaces. */
  static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      wrapLine(lines[i], width, out);
      if (i < lines.length - 1) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  /**
   * The synopsis follows the "Usage: " heading on the same line: its first line has that much less
   * room, and its options continue under the first one.
   */
  static String wrapSynopsis(String text, int width) {
    String heading = "Usage: ";
    String line = heading + text.strip().replaceAll("\\s*\\n\\s*", " "); // picocli may have cut it
    int options = line.indexOf(" [");
    int indent = options > 0 && options < width / 2 ? options + 1 : heading.length();
    StringBuilder out = new StringBuilder();
    wrapLine(line, width, indent, out);
    return out.substring(heading.length()) + (text.endsWith("\n") ? "\n" : "");
  }

  private static void wrapLine(String line, int width, StringBuilder out) {
    if (line.length() <= width) {
      out.append(line);
      return;
    }
    wrapLine(line, width, continuationIndent(line, width), out);
  }

  private static void wrapLine(String line, int width, int indent, StringBuilder out) {
    String rest = line;
    while (rest.length() > width) {
      int cut = rest.lastIndexOf(' ', width);
      if (cut <= indent || rest.substring(0, cut).isBlank()) {
        cut = rest.indexOf(' ', width); // one word longer than the line: keep it whole
        if (cut < 0) {
          break;
        }
      }
      out.append(rest, 0, cut).append('\n');
      rest = " ".repeat(indent) + rest.substring(cut).stripLeading();
    }
    out.append(rest);
  }

  /**
   * Where a line's text column starts: after the last run of two or more spaces in its first half
   * (an option or command name, then its description), else its own leading spaces.
   */
  private static int continuationIndent(String line, int width) {
    int lead = line.length() - line.stripLeading().length();
    int best = lead;
    for (int i = lead; i < Math.min(line.length(), width / 2); i++) {
      if (line.charAt(i) == ' ' && i + 1 < line.length() && line.charAt(i + 1) == ' ') {
        int j = i;
        while (j < line.length() && line.charAt(j) == ' ') {
          j++;
        }
        best = j;
        i = j;
      }
    }
    return best >= width / 2 ? lead : best;
  }
}
