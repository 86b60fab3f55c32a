import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Leadership } from '../../src/coordination/leadership.ts';
import { openPostgres, type PostgresPool } from '../../src/postgres/connection.ts';
import { createLeaderElection, LEADER_LOCK_KEY } from '../../src/postgres/leader-election.ts';
import { PostgresPaperRepository } from '../../src/postgres/paper-repository.ts';
import { PostgresCorpus } from '../../src/postgres/postgres-corpus.ts';
import { HashingEmbeddings } from '../fakes/hashing-embeddings.ts';
import { describePostgres } from '../helpers/postgres.ts';

/** Polls an asynchronous condition every 20 ms until it holds or `timeoutMs` passes. */
async function eventually(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describePostgres('leader election and corpus reload over one PostgreSQL', (databaseUrl) => {
  let pool: PostgresPool;
  beforeAll(async () => {
    pool = await openPostgres(databaseUrl());
  });
  afterAll(async () => pool.end());

  it('elects exactly one of three, and another takes over within the retry when the leader goes', async () => {
    const events: string[] = [];
    const elections: Leadership[] = [0, 1, 2].map((n) =>
      createLeaderElection({
        databaseUrl: databaseUrl(),
        retryMs: 100,
        onElected: () => events.push(`elected ${n}`),
        onDeposed: (reason) => events.push(`deposed ${n}: ${reason}`),
      }),
    );
    try {
      await Promise.all(elections.map((election) => election.start()));
      expect(elections.filter((election) => election.isLeader)).toHaveLength(1);
      const first = elections.findIndex((election) => election.isLeader);
      // The lock is held by a session of its own, not by the pool.
      const holders = await pool.query(
        `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [LEADER_LOCK_KEY],
      );
      expect(holders.rows).toEqual([{ application_name: 'paperbot-leader' }]);

      await elections[first]!.stop();
      await eventually(() => elections.filter((election) => election.isLeader).length === 1);
      const second = elections.findIndex((election) => election.isLeader);
      expect(second).not.toBe(first);
      expect(events).toEqual([`elected ${first}`, `deposed ${first}: stopped`, `elected ${second}`]);
    } finally {
      await Promise.all(elections.map((election) => election.stop()));
    }
  });

  it('a leader whose session is killed steps down, and exactly one is leader again', async () => {
    const deposed: string[] = [];
    const a = createLeaderElection({
      databaseUrl: databaseUrl(),
      retryMs: 100,
      onDeposed: (r) => deposed.push(r),
    });
    const b = createLeaderElection({ databaseUrl: databaseUrl(), retryMs: 100 });
    try {
      await a.start();
      await b.start();
      expect([a.isLeader, b.isLeader]).toEqual([true, false]);
      // What the server does when the leader's machine vanishes and keepalives expire.
      await pool.query(
        `SELECT pg_terminate_backend(l.pid) FROM pg_locks l
         WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [LEADER_LOCK_KEY],
      );
      // a notices at once (or at its next check) and steps down; whichever reconnects first wins.
      await eventually(() => deposed.length >= 1 && [a, b].filter((side) => side.isLeader).length === 1);
      expect(deposed[0]).toMatch(/connection error|database unreachable/);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('a replica sees papers another process adds, without a restart', async () => {
    const embeddings = new HashingEmbeddings(16);
    const reader = await PostgresCorpus.open(pool, embeddings);
    const writer = new PostgresPaperRepository(pool);
    const before = reader.size;
    expect(await reader.reloadIfChanged()).toBe(false);
    await writer.upsert([
      { id: '2611.00042', title: 'Zanzibar lexical probes', abstract: 'Quokka tokens in zanzibar layers.' },
    ]);
    expect(reader.searchLexical('zanzibar quokka', 5)).toEqual([]);
    let reloads = 0;
    reader.watch(
      50,
      (error) => {
        throw error;
      },
      () => {
        reloads += 1;
      },
    );
    try {
      await eventually(() => reader.size === before + 1);
      expect(reader.searchLexical('zanzibar quokka', 5)[0]?.id).toBe('2611.00042');
      expect(reloads).toBe(1);
      // An edit of an existing paper (same count) is seen too.
      await writer.upsert([
        { id: '2611.00042', title: 'Zanzibar lexical probes', abstract: 'Wombat tokens in zanzibar layers.' },
      ]);
      await eventually(() => reader.searchLexical('wombat', 5)[0]?.id === '2611.00042');
      expect(reader.searchLexical('quokka', 5)).toEqual([]);
    } finally {
      await reader.unwatch();
    }
  });

  it('the advisory lock needs a session: a client that ends releases it at once', async () => {
    const holder = new pg.Client({ connectionString: databaseUrl() });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1)', [LEADER_LOCK_KEY]);
    const follower = createLeaderElection({ databaseUrl: databaseUrl(), retryMs: 50 });
    try {
      await follower.start();
      expect(follower.isLeader).toBe(false);
      await holder.end();
      await eventually(() => follower.isLeader);
    } finally {
      await follower.stop();
    }
  });
});
