// Child process of scripts/crash-check.ts: one digest scheduler tick against a database file, with
// a "platform" that is an append-only file (so deliveries survive the SIGKILL the parent sends).
//
//   node bin/run-ts.mjs scripts/crash-digest-child.ts <db> <platform.jsonl> <digest-config.json> <nowIso> <mode>
//
// mode: `hang-before` blocks in the first send before delivering, `hang-after` blocks right after
// delivering (before the ledger records it), `slow` takes 40 ms per send, `normal` just runs.
// Prints `SENDING <key>` / `DELIVERED <key>` lines and, at the end, `REPORTS <json>`.
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { silentLogger } from '../src/logger.ts';
import { openDatabase } from '../src/storage/database.ts';
import { createDigestRunner } from '../src/trending/digest-runner.ts';
import { SqliteSubscriptionRepository } from '../src/trending/sqlite-subscriptions.ts';
import { createTrendingService } from '../src/trending/trending-service.ts';
import type { Digest, DigestDestination, DigestSender } from '../src/trending/types.ts';

/** One message as it reached the fake platform. */
export interface PlatformMessage {
  destinationId: string;
  key: string;
  paperIds: string[];
}

const [databaseFile, platformFile, configFile, nowIso, mode = 'normal'] = process.argv.slice(2);
if (!databaseFile || !platformFile || !configFile || !nowIso) {
  process.stderr.write('usage: crash-digest-child.ts <db> <platform.jsonl> <config.json> <nowIso> [mode]\n');
  process.exit(2);
}
const now = Date.parse(nowIso);
const forever = () => new Promise<never>(() => setInterval(() => {}, 60_000));

function readPlatform(): PlatformMessage[] {
  if (!existsSync(platformFile!)) return [];
  return readFileSync(platformFile!, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as PlatformMessage);
}

function deliver(message: PlatformMessage): void {
  appendFileSync(platformFile!, `${JSON.stringify(message)}\n`);
  const handle = openSync(platformFile!, 'r+');
  fsyncSync(handle);
  closeSync(handle);
}

let sends = 0;
const sender: DigestSender = {
  platform: 'slack',
  async send(destination: DigestDestination, digest: Digest, key: string) {
    sends += 1;
    process.stdout.write(`SENDING ${key}\n`);
    if (mode === 'hang-before' && sends === 1) await forever();
    if (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, 40));
    deliver({ destinationId: destination.id, key, paperIds: digest.items.map((item) => item.paperId) });
    process.stdout.write(`DELIVERED ${key}\n`);
    if (mode === 'hang-after' && sends === 1) await forever();
  },
  async wasDelivered(destination: DigestDestination, key: string) {
    return readPlatform().some((message) => message.key === key && message.destinationId === destination.id);
  },
};

const database = openDatabase(databaseFile);
const logger = silentLogger();
const scheduler = createDigestRunner({
  database,
  subscriptions: new SqliteSubscriptionRepository(database),
  trending: createTrendingService({ database, logger }),
  senders: [sender],
  digestConfigPath: configFile,
  logger,
  clock: { now: () => now },
});
const reports = await scheduler.tick();
database.close();
process.stdout.write(`REPORTS ${JSON.stringify(reports)}\n`);
