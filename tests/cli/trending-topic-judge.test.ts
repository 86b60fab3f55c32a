import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../../src/storage/database.ts';
import { filterByTopic, scoreTopic } from '../../src/trending/topic-filter.ts';
import { JUDGE_CANDIDATE_SCORE } from '../../src/trending/topic-judge.ts';
import { chatCompletion, FakeOpenAIServer, type RecordedRequest } from '../fakes/fake-openai-server.ts';
import { runCli } from '../helpers/run-cli.ts';
import { useBundledIndexCopy } from '../helpers/temp-index.ts';
import { insertPapers, papersFromHfFixture } from '../trending/trending-fixtures.ts';

const DAY = papersFromHfFixture(
  fileURLToPath(new URL('../fixtures/hf/daily_papers-limit30-2026-07-31.json', import.meta.url)),
);
const TOPIC = 'reinforcement learning';
const SCORES = scoreTopic(DAY, TOPIC).scores;
const CANDIDATES = DAY.filter((_, index) => (SCORES[index] ?? 0) >= JUDGE_CANDIDATE_SCORE);
/** What the fake model says is on topic: every third candidate. */
const ON = new Set(CANDIDATES.filter((_, index) => index % 3 === 0).map((paper) => paper.id));

const promptOf = (request: RecordedRequest): string => request.body.messages.at(-1).content as string;
const idsIn = (prompt: string): string[] => [...prompt.matchAll(/<paper id="([^"]+)">/g)].map((m) => m[1]!);
const isJudgeCall = (request: RecordedRequest) => promptOf(request).includes('<topic>');

describe('paperbot trending --topic with an OpenAI-compatible server', () => {
  const index = useBundledIndexCopy();
  let server: FakeOpenAIServer;
  const judgeCalls = () => server.chatRequests().filter(isJudgeCall);
  beforeAll(async () => {
    const database = openDatabase(databasePath(index.dir));
    insertPapers(database, DAY);
    database.close();
    server = await FakeOpenAIServer.start();
    server.onChat((request) => ({
      body: chatCompletion(
        isJudgeCall(request)
          ? JSON.stringify({ on: idsIn(promptOf(request)).filter((id) => ON.has(id)) })
          : 'A summary.',
      ),
    }));
  });
  afterAll(async () => {
    await server.close();
  });
  const run = (extra: Record<string, string> = {}) =>
    runCli(['trending', '--topic', TOPIC, '--limit', '30', '--json'], {
      PAPERBOT_INDEX_DIR: index.dir,
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: server.baseURL,
      PAPERBOT_EMBEDDINGS: 'local',
      ...extra,
    });
  const itemIds = (stdout: string) =>
    (JSON.parse(stdout) as { items: { paperId: string }[] }).items.map((item) => item.paperId);

  it('keeps the papers the model judges on topic, asking only about candidates', async () => {
    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    expect(new Set(itemIds(result.stdout))).toEqual(ON);
    const offline = (await filterByTopic(DAY, { query: TOPIC })).map((paper) => paper.id);
    expect(new Set(offline)).not.toEqual(ON);
    const asked = judgeCalls().flatMap((request) => idsIn(promptOf(request)));
    expect([...asked].sort()).toEqual(CANDIDATES.map((paper) => paper.id).sort());
  });

  it('PAPERBOT_TOPIC_JUDGE=off keeps the offline filter and asks nothing', async () => {
    const before = judgeCalls().length;
    const result = await run({ PAPERBOT_TOPIC_JUDGE: 'off' });
    expect(result.code, result.stderr).toBe(0);
    const offline = (await filterByTopic(DAY, { query: TOPIC })).map((paper) => paper.id);
    expect([...itemIds(result.stdout)].sort()).toEqual([...offline].sort());
    expect(judgeCalls()).toHaveLength(before);
  });
});
