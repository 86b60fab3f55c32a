import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { FIT_TOPICS, loadTopicLabelledSet } from '../../src/trending/topic-evaluation.ts';
import { chatCompletion, FakeOpenAIServer, type RecordedRequest } from '../fakes/fake-openai-server.ts';

const RUN_TS = join(PACKAGE_ROOT, 'bin', 'run-ts.mjs');
const SET = loadTopicLabelledSet(join(PACKAGE_ROOT, 'tests', 'fixtures', 'topics'));

const promptOf = (request: RecordedRequest): string => request.body.messages.at(-1).content as string;
const idsIn = (prompt: string): string[] => [...prompt.matchAll(/<paper id="([^"]+)">/g)].map((m) => m[1]!);
/** The topic of a judge prompt, unescaped (the FIT topic names hold no escaped characters). */
const topicIn = (prompt: string): string => /<topic>([^<]*)<\/topic>/.exec(prompt)?.[1] ?? '';

describe('scripts/topic-eval.ts --judge llm', () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await FakeOpenAIServer.start();
    // A judge that knows the labels: what is left to miss is what the candidate cut dropped.
    server.onChat((request) => {
      const prompt = promptOf(request);
      const on = SET.onTopic.get(topicIn(prompt)) ?? new Set<string>();
      return { body: chatCompletion(JSON.stringify({ on: idsIn(prompt).filter((id) => on.has(id)) })) };
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('runs the labelled set through the configured server and reports precision, recall and calls', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [RUN_TS, join(PACKAGE_ROOT, 'scripts', 'topic-eval.ts'), '--judge', 'llm', '--part', 'fit', '--json'],
      {
        cwd: PACKAGE_ROOT,
        env: { PATH: process.env.PATH ?? '', OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.baseURL },
      },
    );
    const report = JSON.parse(stdout) as { parts: Record<string, Record<string, number>> };
    const fit = report.parts.FIT!;
    const on = FIT_TOPICS.reduce((sum, topic) => sum + (SET.onTopic.get(topic)?.size ?? 0), 0);
    expect(fit.precision).toBe(1);
    // README: the candidate cut keeps every on-topic FIT paper of the known topics.
    expect(fit.truePositives).toBe(on);
    expect(fit.calls).toBe(server.chatRequests().length);
    expect(fit.undecidedPapers).toBe(0);
  });
});
