package io.distillery.synth.source;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillery.core.ConfigException;
import io.distillery.core.Json;
import java.util.List;

/**
 * How the generator samples and how its continuation is cut into one candidate text.
 *
 * @param maxNewTokens tokens generated per prompt
 * @param temperature sampling temperature, > 0
 * @param topK keep the k most likely tokens; 0 = no limit
 * @param topP nucleus mass in (0, 1]; 1 = no limit
 * @param stop stop sequences that end a continuation early (may be empty)
 * @param cutMinChars a sentence end or line break before this many characters does not end the
 *     text (a line break there becomes a space)
 * @param cutMaxChars the text is cut at the last word boundary before this many characters when no
 *     sentence end comes first
 */
public record GenerationSettings(
    int maxNewTokens,
    double temperature,
    int topK,
    double topP,
    List<String> stop,
    int cutMinChars,
    int cutMaxChars) {
  public GenerationSettings {
    if (maxNewTokens < 1 || maxNewTokens > 4096) {
      throw new ConfigException("generation maxNewTokens must be 1..4096, got " + maxNewTokens);
    }
    if (!(temperature > 0) || temperature > 100) {
      throw new ConfigException("generation temperature must be in (0, 100], got " + temperature);
    }
    if (topK < 0) {
      throw new ConfigException("generation topK must be >= 0 (0 = off), got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new ConfigException("generation topP must be in (0, 1], got " + topP);
    }
    stop = stop == null ? List.of() : List.copyOf(stop);
    for (String s : stop) {
      if (s.isEmpty()) {
        throw new ConfigException("generation stop sequences must be non-empty strings");
      }
    }
    if (cutMinChars < 0 || cutMaxChars < 1 || cutMinChars >= cutMaxChars) {
      throw new ConfigException("generation cut bounds must satisfy 0 <= cutMinChars < cutMaxChars,"
          + " got " + cutMinChars + " and " + cutMaxChars);
    }
  }

  /** 48 new tokens, temperature 0.9, top-k 50, top-p 0.95, no stop, cut between 24 and 400 chars. */
  public static GenerationSettings defaults() {
    return new GenerationSettings(48, 0.9, 50, 0.95, List.of(), 24, 400);
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("max_new_tokens", maxNewTokens);
    node.put("temperature", temperature);
    node.put("top_k", topK);
    node.put("top_p", topP);
    ArrayNode arr = node.putArray("stop");
    stop.forEach(arr::add);
    node.put("cut_min_chars", cutMinChars);
    node.put("cut_max_chars", cutMaxChars);
    return node;
  }
}
