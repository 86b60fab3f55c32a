/**
 * The `--judge llm` part of `scripts/topic-eval.ts`: the labelled set through `filterByTopic` with
 * the LLM topic judge of the configured OpenAI-compatible server.
 */

import { OpenAITopicJudge } from '../src/answering/openai-topic-judge.ts';
import { loadConfig } from '../src/config/config.ts';
import type { Paper } from '../src/corpus/paper.ts';
import { createLogger } from '../src/logger.ts';
import {
  addCounts,
  countDecisions,
  precisionRecall,
  type TopicLabelledSet,
} from '../src/trending/topic-evaluation.ts';
import { filterByTopic } from '../src/trending/topic-filter.ts';
import type { TopicJudge } from '../src/trending/topic-judge.ts';

/** Pooled figures per part, with calls made and papers left to the offline decision. */
export async function evaluateWithJudge(
  set: TopicLabelledSet,
  parts: Record<string, readonly string[]>,
  threshold: number,
): Promise<{ lines: string[]; parts: Record<string, unknown> }> {
  const config = loadConfig(process.env);
  if (!config.openai) {
    throw new Error(
      '--judge llm needs OPENAI_API_KEY (any value for a local server) and OPENAI_BASE_URL for a server other than OpenAI.',
    );
  }
  const openai = new OpenAITopicJudge({
    apiKey: config.openai.apiKey,
    baseURL: config.openai.baseURL,
    model: config.openai.chatModel,
    timeoutMs: config.llmTimeoutMs,
  });
  let calls = 0;
  let undecided = 0;
  const judge: TopicJudge = {
    name: openai.name,
    batchSize: openai.batchSize,
    async judge(topic: string, papers: readonly Paper[]) {
      calls += 1;
      try {
        return await openai.judge(topic, papers);
      } catch (error) {
        undecided += papers.length;
        throw error;
      }
    },
  };
  const logger = createLogger('warn');
  const lines = [
    `LLM judge ${config.openai.chatModel} at ${config.openai.baseURL ?? 'OpenAI'}, threshold ${threshold}`,
  ];
  const report: Record<string, unknown> = {};
  for (const [part, topics] of Object.entries(parts)) {
    const before = { calls, undecided };
    const counts = [];
    for (const topic of topics) {
      const kept = await filterByTopic(set.papers, { query: topic, threshold }, { judge, logger });
      counts.push(
        countDecisions(
          kept.map((paper) => paper.id),
          set.onTopic.get(topic) ?? new Set(),
        ),
      );
    }
    const pooled = addCounts(counts);
    const figures = { ...pooled, ...precisionRecall(pooled) };
    const partCalls = calls - before.calls;
    const partUndecided = undecided - before.undecided;
    report[part] = { ...figures, calls: partCalls, undecidedPapers: partUndecided };
    lines.push(
      `  ${part.padEnd(6)} P ${figures.precision.toFixed(2)} R ${figures.recall.toFixed(2)} (kept ${pooled.truePositives + pooled.falsePositives}, on ${pooled.truePositives + pooled.falseNegatives}); ${partCalls} calls, ${partUndecided} papers left to the offline decision`,
    );
  }
  return { lines, parts: report };
}
