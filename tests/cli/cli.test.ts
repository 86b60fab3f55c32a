import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/corpus/bundled.ts';
import { EVAL_SETS } from '../../src/evaluation/answerability-fit.ts';
import { runCli } from '../helpers/run-cli.ts';
import { copyBundledIndex, useBundledIndexCopy } from '../helpers/temp-index.ts';

const SEED_DEV = join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval', 'seed-dev');

describe('paperbot CLI', () => {
  const index = useBundledIndexCopy();

  it('ask --json answers the quick-start question with cited sources, offline', async () => {
    const result = await runCli(
      [
        'ask',
        'Which papers argue that intermediate layers give better representations than the last layer?',
        '--json',
      ],
      index.env,
    );
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer.declined).toBe(false);
    expect(answer.answerer).toBe('extractive');
    expect(answer.citations.map((citation: { paperId: string }) => citation.paperId)).toEqual(
      expect.arrayContaining(['seed-008', 'seed-018']),
    );
    const seed008 = answer.sources.find((source: { paperId: string }) => source.paperId === 'seed-008');
    expect(seed008).toMatchObject({ link: 'https://arxiv.org/abs/2412.09563', published: '2024-12' });
    expect(seed008.byline).toMatch(/^Skean et al\., 2024$/);
    for (const citation of answer.citations) {
      expect(answer.answer).toContain(`[${citation.n}]`);
      expect(answer.sources.find((source: { n: number }) => source.n === citation.n)?.paperId).toBe(
        citation.paperId,
      );
    }
  });

  it('ask declines a question the corpus cannot answer', async () => {
    const result = await runCli(['ask', 'who received the 2018 Turing Award?', '--json'], index.env);
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer).toMatchObject({ declined: true, citations: [] });
    expect(answer.answer).toMatch(/^I found no paper in the corpus about/);
  });

  it('ask prints the answer and numbered sources for people', async () => {
    const result = await runCli(['ask', 'successor heads that increment Monday to Tuesday'], index.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\[1\]/);
    expect(result.stdout).toMatch(/Sources:\n\[1\] Successor Heads/);
  });

  it('search --json returns ranked papers with scores', async () => {
    const result = await runCli(['search', 'successor heads', '--k', '3', '--json'], index.env);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      paperId: 'seed-099',
      title: expect.stringMatching(/^Successor Heads/),
      score: expect.any(Number),
      relevance: expect.any(Number),
      relevanceLabel: 'high',
      link: 'https://arxiv.org/abs/2312.09230',
      authors: expect.arrayContaining([expect.any(String)]),
      published: expect.stringMatching(/^2023-12/),
      byline: expect.stringMatching(/ et al\., 2023$/),
    });
    expect(rows[0].score).toBeGreaterThanOrEqual(rows[1].score);
  });

  it('exits 2 with usage for a missing question, a bad --k and an unknown command', async () => {
    expect((await runCli(['ask'], index.env)).code).toBe(2);
    const badK = await runCli(['search', 'x', '--k', '0'], index.env);
    expect(badK.code).toBe(2);
    expect(badK.stderr).toMatch(/--k must be/);
    const unknown = await runCli(['frobnicate'], index.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"/);
  });

  it('says what differs and how to rebuild when the index was built by another model', async () => {
    const other = copyBundledIndex();
    try {
      const manifestPath = join(other.dir, 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      writeFileSync(
        manifestPath,
        JSON.stringify({ ...manifest, embeddingModel: 'openai:text-embedding-3-small' }),
      );
      const result = await runCli(['ask', 'anything about layers?'], { PAPERBOT_INDEX_DIR: other.dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /built with embedding model "openai:text-embedding-3-small".*npx paperbot index build.*\[INDEX_MISMATCH\]/s,
      );
    } finally {
      other.cleanup();
    }
  });

  it('reports an invalid environment variable with a pointer to .env.example', async () => {
    const result = await runCli(['ask', 'x'], { ...index.env, PAPERBOT_EMBED_TIMEOUT_MS: 'soon' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PAPERBOT_EMBED_TIMEOUT_MS="soon".*\.env\.example/s);
  });

  /** `paperbot eval --json` on an evaluation set with its unanswerable questions. */
  async function evalReport(dir: string) {
    const result = await runCli(
      ['eval', '--beir', dir, '--unanswerable', join(dir, 'unanswerable.jsonl'), '--json'],
      index.env,
    );
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout);
  }

  // Measured figures of every set (README, Quality), as counts of questions, written by
  // `npm run measure-eval` (tests/fixtures/eval/measured.json): fit sets (seed-dev, team-a..c) and
  // development sets (team-d..h). Each floor is within one question of the figure. Answers come
  // through the bot, as users get them (chat routing, named papers, then the answerer).
  const MEASURED = JSON.parse(
    readFileSync(join(PACKAGE_ROOT, 'tests', 'fixtures', 'eval', 'measured.json'), 'utf8'),
  ) as Record<
    string,
    {
      ndcg10: number;
      recall10: number;
      flagged: number;
      declined: number;
      answerableDeclined: number;
      answerableUncertain: number;
    }
  >;

  it('has measured figures for every evaluation set', () => {
    expect(Object.keys(MEASURED)).toEqual(EVAL_SETS);
  });

  it.each(Object.keys(MEASURED))(
    'eval on %s stays within one question of its measured figures',
    async (name) => {
      const report = await evalReport(join(SEED_DEV, '..', name));
      const measured = MEASURED[name]!;
      const count = (share: number, total: number) => Math.round(share * total);
      // One question's worth of Recall@10 (each question weighs 1/queries).
      expect(report.recall10).toBeGreaterThanOrEqual(measured.recall10 - 1 / report.queries - 0.001);
      const flagged = count(report.declinedShare + report.uncertainShare, report.unanswerable);
      expect(flagged).toBeGreaterThanOrEqual(measured.flagged - 1);
      expect(count(report.declinedShare, report.unanswerable)).toBeGreaterThanOrEqual(measured.declined - 1);
      expect(count(report.falseDeclineShare, report.queries)).toBeLessThanOrEqual(
        measured.answerableDeclined + 1,
      );
      expect(count(report.answerableUncertainShare, report.queries)).toBeLessThanOrEqual(
        measured.answerableUncertain + 1,
      );
      expect(report.validCitationShare).toBe(1);
      expect(report.ndcg10).toBeGreaterThanOrEqual(measured.ndcg10 - 0.01);
    },
  );

  it('eval builds a throwaway index for a set with its own corpus and leaves the configured one alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperbot-beir-'));
    try {
      mkdirSync(join(dir, 'qrels'));
      const corpus = [
        { _id: 'x1', title: 'Quokka behaviour', text: 'Quokkas smile at tourists on Rottnest Island.' },
        { _id: 'x2', title: 'Penguin diving', text: 'Emperor penguins dive deeper than any other bird.' },
        { _id: 'x3', title: 'Bee dances', text: 'Honey bees communicate food locations with waggle dances.' },
      ];
      writeFileSync(join(dir, 'corpus.jsonl'), corpus.map((row) => JSON.stringify(row)).join('\n'));
      writeFileSync(
        join(dir, 'queries.jsonl'),
        [
          { _id: 'q1', text: 'how do bees tell each other where food is?' },
          { _id: 'q2', text: 'quokka smiles' },
        ]
          .map((row) => JSON.stringify(row))
          .join('\n'),
      );
      writeFileSync(join(dir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\tx3\t2\nq2\tx1\t2\n');
      const before = readFileSync(join(index.dir, 'manifest.json'), 'utf8');
      const result = await runCli(['eval', '--beir', dir, '--json'], index.env);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/Indexing eval corpus/);
      const report = JSON.parse(result.stdout);
      expect(report).toMatchObject({ queries: 2, recall10: 1, declinedShare: null });
      expect(Object.keys(report)).toEqual(
        expect.arrayContaining([
          'queries',
          'ndcg10',
          'recall10',
          'mrr10',
          'declinedShare',
          'falseDeclineShare',
          'validCitationShare',
        ]),
      );
      expect(readFileSync(join(index.dir, 'manifest.json'), 'utf8')).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
