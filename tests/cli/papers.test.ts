import { entries as bibtexEntries } from 'bibtex-parse';
import { describe, expect, it } from 'vitest';
import { toBibtex } from '../../src/corpus/export.ts';
import { runCli } from '../helpers/run-cli.ts';
import { useBundledIndexCopy } from '../helpers/temp-index.ts';

describe('paperbot papers', { timeout: 300_000 }, () => {
  const index = useBundledIndexCopy();

  it('list filters by date and source, newest first, with links and bylines', async () => {
    const result = await runCli(
      ['papers', 'list', '--since', '2025-07', '--source', 'seed', '--json'],
      index.env,
    );
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { paperId: string; published: string; source: string }[];
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      expect(row.source).toBe('seed');
      expect(row.published >= '2025-07').toBe(true);
    }
    expect(rows.map((row) => row.published)).toEqual(
      rows
        .map((row) => row.published)
        .sort()
        .reverse(),
    );
    expect(rows.find((row) => row.paperId === 'seed-003')).toMatchObject({
      link: 'https://arxiv.org/abs/2507.04886',
      byline: 'Bochkov, 2025',
    });
    const none = await runCli(['papers', 'list', '--source', 'hf'], index.env);
    expect(none.stdout).toBe('No papers match the filters.\n');
    const bad = await runCli(['papers', 'list', '--since', 'last week'], index.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since "last week" is not a date/);
    expect((await runCli(['papers', 'list', '--source', 'rss'], index.env)).stderr).toMatch(
      /--source must be/,
    );
  });

  it('show prints one paper; an unknown id fails and says how to list ids', async () => {
    const shown = await runCli(['papers', 'show', 'seed-001'], index.env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      /^Nugget: Neural Agglomerative Embeddings of Text\nid: seed-001 \(arXiv 2310\.01732\)/,
    );
    expect(shown.stdout).toContain('authors: Guanghui Qin, Benjamin Van Durme');
    const json = JSON.parse((await runCli(['papers', 'show', 'seed-001', '--json'], index.env)).stdout);
    expect(json).toMatchObject({
      id: 'seed-001',
      arxivId: '2310.01732',
      link: 'https://arxiv.org/abs/2310.01732',
    });
    const missing = await runCli(['papers', 'show', 'seed-999'], index.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No paper "seed-999".*papers list/);
  });

  it('export writes jsonl, csv and BibTeX that a BibTeX parser reads back', async () => {
    const jsonl = await runCli(['papers', 'export', '--format', 'jsonl'], index.env);
    const lines = jsonl.stdout.trim().split('\n');
    expect(lines).toHaveLength(119);
    expect(JSON.parse(lines[0]!)).toMatchObject({ id: 'seed-001', arxivId: '2310.01732' });
    const csv = await runCli(['papers', 'export', '--format', 'csv'], index.env);
    expect(csv.stdout.split('\r\n')[0]).toBe('id,arxivId,title,authors,published,link,source,abstract');
    expect(csv.stdout).toContain(
      'seed-001,2310.01732,Nugget: Neural Agglomerative Embeddings of Text,Guanghui Qin; Benjamin Van Durme,2023-10-03,',
    );
    const bib = await runCli(['papers', 'export', '--format', 'bibtex'], index.env);
    expect(bib.code).toBe(0);
    const parsed = bibtexEntries(bib.stdout);
    expect(parsed).toHaveLength(119);
    expect(new Set(parsed.map((entry) => entry.key)).size).toBe(119);
    expect(parsed[0]).toMatchObject({
      key: 'seed-001',
      type: 'misc',
      AUTHOR: 'Guanghui Qin and Benjamin Van Durme',
      YEAR: '2023',
      EPRINT: '2310.01732',
    });
    expect((await runCli(['papers', 'export', '--format', 'xml'], index.env)).code).toBe(2);
  });

  it('BibTeX stays parseable with LaTeX, unbalanced braces and specials in the text', () => {
    const bib = toBibtex([
      {
        id: '2401.01234',
        title: 'Costs in $\\mathcal{O}(n)$ & 50% less',
        abstract: 'A } stray { brace. # tag',
        authors: ['Ana Díaz'],
      },
    ]);
    const [entry] = bibtexEntries(bib);
    expect(entry).toMatchObject({ key: 'arxiv2401.01234', EPRINT: '2401.01234' });
    expect(String(entry!.TITLE)).toContain('\\&');
  });

  it('search --since/--until and a question naming a year narrow by publication date', async () => {
    const search = await runCli(
      ['search', 'layers representations', '--since', '2025', '--until', '2025-06', '--json'],
      index.env,
    );
    expect(search.code).toBe(0);
    const rows = JSON.parse(search.stdout) as { published: string }[];
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(row.published >= '2025-01' && row.published <= '2025-06-30').toBe(true);
    expect((await runCli(['search', 'x', '--since', 'yesterday'], index.env)).code).toBe(2);
    const ask = await runCli(
      [
        'ask',
        'Which papers from 2024 argue that intermediate layers give better representations than the last layer?',
        '--json',
      ],
      index.env,
    );
    const answer = JSON.parse(ask.stdout);
    expect(answer.declined).toBe(false);
    expect(answer.answer).toMatch(/^Only papers published in 2024\./);
    expect(answer.sources.map((source: { paperId: string }) => source.paperId)).toContain('seed-008');
    for (const source of answer.sources) expect(source.published).toMatch(/^2024/);
  });

  it('stats counts by source and month, and remove takes a paper out of store and index', async () => {
    const stats = JSON.parse((await runCli(['papers', 'stats', '--json'], index.env)).stdout);
    expect(stats).toMatchObject({
      papers: 119,
      bySource: { seed: 119 },
      newestDay: null,
      index: { embeddingModel: 'local:universal-sentence-encoder-lite', papers: 119, dimensions: 512 },
    });
    expect(stats.byMonth.undated).toBe(19);
    expect(stats.byMonth['2023-10']).toBe(6);
    const removed = await runCli(['papers', 'remove', 'seed-099'], index.env);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(
      /Removed seed-099: 1 from the store, 1 from the index \(118 papers left\)/,
    );
    expect((await runCli(['papers', 'show', 'seed-099'], index.env)).code).toBe(1);
    const search = JSON.parse((await runCli(['search', 'successor heads', '--json'], index.env)).stdout);
    expect(search.map((row: { paperId: string }) => row.paperId)).not.toContain('seed-099');
    expect(JSON.parse((await runCli(['papers', 'stats', '--json'], index.env)).stdout).papers).toBe(118);
    expect((await runCli(['papers', 'remove', 'seed-099'], index.env)).code).toBe(1);
  });
});
