import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { chatCompletion, FakeOpenAIServer } from '../fakes/fake-openai-server.ts';
import { runCli } from '../helpers/run-cli.ts';
import { useBundledIndexCopy } from '../helpers/temp-index.ts';

const SEED_DEV = join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval', 'seed-dev');

/** A small BEIR set over the bundled corpus: three seed-dev questions and two unanswerable ones. */
function smallSet(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paperbot-eval-outcomes-'));
  mkdirSync(join(dir, 'qrels'));
  const queries = readFileSync(join(SEED_DEV, 'queries.jsonl'), 'utf8').trim().split('\n').slice(0, 3);
  const ids = new Set(queries.map((line) => (JSON.parse(line) as { _id: string })._id));
  const qrels = readFileSync(join(SEED_DEV, 'qrels', 'test.tsv'), 'utf8')
    .split('\n')
    .filter((line) => ids.has(line.split('\t')[0]!));
  writeFileSync(join(dir, 'queries.jsonl'), `${queries.join('\n')}\n`);
  writeFileSync(join(dir, 'qrels', 'test.tsv'), `query-id\tcorpus-id\tscore\n${qrels.join('\n')}\n`);
  writeFileSync(
    join(dir, 'unanswerable.jsonl'),
    `${JSON.stringify({ _id: 'u1', text: 'who received the 2018 Turing Award?' })}\n${JSON.stringify({
      _id: 'u2',
      text: 'how do I bake sourdough bread with a cast-iron pot?',
    })}\n`,
  );
  return dir;
}

describe('eval and ask report the outcome and the confidence', () => {
  const index = useBundledIndexCopy();
  let set: string;
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    set = smallSet();
    server = await FakeOpenAIServer.start();
    server.onChat(() => ({ status: 200, body: chatCompletion('The abstracts say so [1].') }));
  });
  afterAll(async () => {
    rmSync(set, { recursive: true, force: true });
    await server.close();
  });

  it('eval --details picks up DIR/unanswerable.jsonl and lists each question with outcome and confidence', async () => {
    const result = await runCli(['eval', '--beir', set, '--details', '--json'], {
      PAPERBOT_INDEX_DIR: index.dir,
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ queries: 3, unanswerable: 2 });
    expect(report.uncertainShare).toBeGreaterThanOrEqual(0);
    expect(report.answerableUncertainShare).toBeGreaterThanOrEqual(0);
    // Recall@10 of the most relevant papers is the mean of the questions' own figures.
    const topGrade = report.perQuery.map((row: { recall10TopGrade: number }) => row.recall10TopGrade);
    expect(report.recall10TopGrade).toBeCloseTo(
      topGrade.reduce((sum: number, value: number) => sum + value, 0) / 3,
      4,
    );
    for (const row of [...report.perQuery, ...report.unanswerableDetails]) {
      expect(['answered', 'uncertain', 'declined']).toContain(row.outcome);
      expect(row.confidence).toBeGreaterThanOrEqual(0);
      expect(row.confidence).toBeLessThanOrEqual(1);
    }
    expect(report.unanswerableDetails.map((row: { id: string }) => row.id)).toEqual(['u1', 'u2']);
    // Neither is answered. The Turing Award question is declined outright; the sourdough one sits
    // just above the decline threshold (its one corpus word, "cast", matches "casting"), so it may be
    // hedged with the words no abstract uses named.
    const [turing, sourdough] = report.unanswerableDetails as { outcome: string }[];
    expect(turing!.outcome).toBe('declined');
    expect(['declined', 'uncertain']).toContain(sourdough!.outcome);
  });

  it('eval --answerer llm runs through an OpenAI-compatible server; confident declines never reach it', async () => {
    const offline = JSON.parse(
      (await runCli(['eval', '--beir', set, '--details', '--json'], { PAPERBOT_INDEX_DIR: index.dir }))
        .stdout,
    );
    const declinedOffline = (rows: { id: string; outcome: string }[]) =>
      rows.filter((row) => row.outcome === 'declined').map((row) => row.id);
    const before = server.chatRequests().length;
    const result = await runCli(['eval', '--beir', set, '--answerer', 'llm', '--details', '--json'], {
      PAPERBOT_INDEX_DIR: index.dir,
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: server.baseURL,
      PAPERBOT_EMBEDDINGS: 'local',
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const sent = server.chatRequests().length - before;
    // Every question the offline score did not decline went to the model (which answers them all
    // here), and only those: the questions declined offline are declined in LLM mode too.
    const offlineDeclined = [
      ...declinedOffline(offline.perQuery),
      ...declinedOffline(offline.unanswerableDetails),
    ];
    expect(offlineDeclined).toContain('u1');
    expect(sent).toBe(5 - offlineDeclined.length);
    expect(sent).toBeGreaterThan(0);
    for (const row of [...report.perQuery, ...report.unanswerableDetails] as {
      id: string;
      outcome: string;
    }[]) {
      expect(row.outcome).toBe(offlineDeclined.includes(row.id) ? 'declined' : 'answered');
    }
    expect(report.validCitationShare).toBe(1);
  });

  it('eval --answerer llm without a configured model says what is missing', async () => {
    const result = await runCli(['eval', '--beir', set, '--answerer', 'llm'], {
      PAPERBOT_INDEX_DIR: index.dir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/OPENAI_API_KEY/);
  });

  it('ask --json carries outcome and confidence beside declined', async () => {
    const env = { PAPERBOT_INDEX_DIR: index.dir };
    const answered = JSON.parse(
      (await runCli(['ask', 'successor heads that increment Monday to Tuesday', '--json'], env)).stdout,
    );
    expect(answered).toMatchObject({ outcome: 'answered', declined: false });
    const declined = JSON.parse(
      (await runCli(['ask', 'who received the 2018 Turing Award?', '--json'], env)).stdout,
    );
    expect(declined).toMatchObject({ outcome: 'declined', declined: true });
    expect(answered.confidence).toBeGreaterThan(declined.confidence);
  });
});
