import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Paper } from '../../src/corpus/paper.ts';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.ts';
import type { Subscription } from '../../src/trending/subscriptions.ts';

/** A temp directory with a fresh database file; `cleanup` removes both. */
export function tempDatabase(): {
  path: string;
  database: SqliteDatabase;
  open(): SqliteDatabase;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'paperbot-trending-'));
  const path = join(dir, 'paperbot.db');
  const opened: SqliteDatabase[] = [];
  const open = () => {
    const database = openDatabase(path);
    opened.push(database);
    return database;
  };
  const database = open();
  return {
    path,
    database,
    open,
    cleanup() {
      for (const handle of opened) if (handle.open) handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes papers into the `papers` table the way ingest does (data JSON plus indexed columns). */
export function insertPapers(database: SqliteDatabase, papers: readonly Paper[]): void {
  const insert = database.prepare(
    `INSERT OR REPLACE INTO papers (id, title, abstract, data, content_hash, daily_date, upvotes, source, first_seen_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = '2026-01-01T00:00:00.000Z';
  database.transaction(() => {
    for (const paper of papers) {
      const data = JSON.stringify(paper);
      insert.run(
        paper.id,
        paper.title,
        paper.abstract,
        data,
        createHash('sha256').update(data).digest('hex'),
        paper.dailyPapersAt?.slice(0, 10) ?? null,
        paper.upvotes ?? null,
        paper.source ?? 'test',
        now,
        now,
      );
    }
  })();
}

/** A small synthetic Daily-Papers day: `count` papers with descending upvotes. */
export function dayOfPapers(day: string, count: number, overrides: Partial<Paper>[] = []): Paper[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `${day.replaceAll('-', '').slice(2, 6)}.${String(10_000 + Number(day.slice(8)) * 100 + index)}`,
    title: `Paper ${index + 1} of ${day}`,
    abstract: `We propose method number ${index + 1} for ${day}. It works well.`,
    dailyPapersAt: `${day}T00:00:00.000Z`,
    publishedAt: `${day}T00:00:00.000Z`,
    upvotes: 100 - index,
    source: 'hf',
    ...overrides[index],
  }));
}

interface HfItem {
  paper: {
    id: string;
    title: string;
    summary: string;
    authors?: { name: string }[];
    publishedAt?: string;
    submittedOnDailyAt?: string;
    upvotes?: number;
    ai_summary?: string;
    ai_keywords?: string[];
    githubRepo?: string;
    projectPage?: string;
  };
}

/** Test-only HF -> Paper mapping (ingest owns the real one); no trending order, so upvotes rank. */
export function papersFromHfFixture(file: string): Paper[] {
  const items = JSON.parse(readFileSync(file, 'utf8')) as HfItem[];
  return items.map(({ paper }) => {
    return {
      id: paper.id,
      title: paper.title,
      abstract: paper.summary,
      authors: paper.authors?.map((author) => author.name),
      publishedAt: paper.publishedAt,
      dailyPapersAt: paper.submittedOnDailyAt,
      upvotes: paper.upvotes,
      ...(paper.ai_summary ? { aiSummary: paper.ai_summary } : {}),
      ...(paper.ai_keywords ? { aiKeywords: paper.ai_keywords } : {}),
      ...(paper.githubRepo ? { githubRepo: paper.githubRepo } : {}),
      ...(paper.projectPage ? { projectPage: paper.projectPage } : {}),
      source: 'hf',
    };
  });
}

/** A `/subscribe` of Slack channel `channelId` in workspace `teamId`: every day at 09:00 in Berlin. */
export function berlinSlackSubscription(channelId: string, teamId: string): Subscription {
  return {
    destinationId: `slack:${channelId}`,
    platform: 'slack',
    channelId,
    teamId,
    cron: '0 9 * * *',
    timeZone: 'Europe/Berlin',
  };
}
