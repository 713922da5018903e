#!/usr/bin/env bash
# spark-synth.sh: runs Distillery's Spark application (io.distillery.spark.app.SparkSynthApp)
# with `java`, Spark's jars from the Maven repository, no Spark installation: local mode
# (--master 'local[N]'), or a client of a standalone master. Builds the spark module first when
# a pom or main source is newer than its classpath file. For a cluster, prefer spark-submit with
# spark/target/distillery-spark-app.jar (README, "Synthesis on Apache Spark").
#   SPARK_SYNTH_MAIN=io.distillery.spark.bench.SparkSynthBench runs the benchmark instead.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CP_FILE="$ROOT/spark/target/classpath.txt"

stale() {
  [ ! -f "$CP_FILE" ] && return 0
  [ -n "$(find "$ROOT" -path "$ROOT/.git" -prune -o \( -name pom.xml -o -path '*/src/main/*' \) \
      -newer "$CP_FILE" -print -quit)" ]
}

if stale; then
  echo "spark-synth: building the spark module (first use or sources changed)..." >&2
  "$ROOT/mvnw" -B -q -ntp -f "$ROOT/pom.xml" -DskipTests -pl spark -am package >&2
  touch "$CP_FILE"
fi

# Spark 4 on Java 17: the module openings spark-submit adds by itself (JavaModuleOptions).
OPENS="$(sed -n 's:.*<spark.java.options>\(.*\)</spark.java.options>.*:\1:p' "$ROOT/spark/pom.xml")"
export OPT_OUT_TRACKING=true
# shellcheck disable=SC2086
exec java $OPENS -Dai.djl.offline=true ${SPARK_SYNTH_JAVA_OPTS:--Xmx4g} \
  -Dlog4j2.configurationFile="$ROOT/spark/src/main/resources/distillery-spark-log4j2.properties" \
  -cp "$ROOT/spark/target/classes:$(cat "$CP_FILE")" "${SPARK_SYNTH_MAIN:-io.distillery.spark.app.SparkSynthApp}" "$@"
