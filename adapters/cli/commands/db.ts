import { parseArgs } from 'node:util';
import { openPostgres, redactUrl } from '../../../src/postgres/connection.ts';
import { copyEmbeddedToPostgres } from '../../../src/postgres/copy-deployment.ts';
import { migratePostgres, schemaVersion } from '../../../src/postgres/migrations.ts';
import { type CliCommand, EXIT } from '../context.ts';
import { createProgressBar } from '../progress.ts';

export const USAGE =
  'Usage: paperbot db migrate [--json]            apply pending PostgreSQL migrations (DATABASE_URL)\n' +
  '       paperbot db copy --to <postgres-url> [--json]  copy this PAPERBOT_INDEX_DIR (SQLite + hnswlib) to PostgreSQL, without re-embedding\n';

/** `paperbot db migrate|copy`: PostgreSQL schema and moving an embedded deployment to it. */
export const dbCommand: CliCommand = async (args, context) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { to: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const [action, ...rest] = positionals;
  if (rest.length > 0 || (action !== 'migrate' && action !== 'copy')) {
    context.err(USAGE);
    return EXIT.usage;
  }
  if (action === 'migrate') {
    const url = context.config.databaseUrl;
    if (!url) {
      context.err(`DATABASE_URL is not set: there is no PostgreSQL database to migrate.\n${USAGE}`);
      return EXIT.usage;
    }
    const pool = await openPostgres(url, { migrate: false });
    try {
      const applied = await migratePostgres(pool);
      const version = await schemaVersion(pool);
      if (values.json) context.out(`${JSON.stringify({ database: redactUrl(url), applied, version })}\n`);
      else
        context.out(
          applied.length > 0
            ? `Applied migration(s) ${applied.join(', ')}; ${redactUrl(url)} is at schema version ${version}.\n`
            : `${redactUrl(url)} is up to date (schema version ${version}).\n`,
        );
      return EXIT.ok;
    } finally {
      await pool.end();
    }
  }
  if (!values.to || !/^postgres(ql)?:\/\//.test(values.to)) {
    context.err(`--to must be a postgres:// URL (got ${JSON.stringify(values.to ?? '')}).\n${USAGE}`);
    return EXIT.usage;
  }
  const pool = await openPostgres(values.to);
  try {
    const progress = createProgressBar('Copying vectors', context.err, context.interactive);
    const report = await copyEmbeddedToPostgres(context.config.indexDir, pool, progress.update);
    progress.finish();
    const summary = { from: context.config.indexDir, to: redactUrl(values.to), ...report };
    if (values.json) {
      context.out(`${JSON.stringify(summary)}\n`);
    } else {
      context.out(
        `Copied ${report.papers} papers and ${report.passages} passage vectors (${report.embeddingModel}, ${report.dimensions} dimensions, not re-embedded) from ${summary.from} to ${summary.to}.\n`,
      );
      context.out(
        `Copied ${report.subscriptions} /subscribe subscription(s) and ${report.feedback} new feedback rating(s).\n`,
      );
      if (report.papersWithoutVectors.length > 0)
        context.out(
          `${report.papersWithoutVectors.length} paper(s) had no vectors in the index (${report.papersWithoutVectors.slice(0, 5).join(', ')}${report.papersWithoutVectors.length > 5 ? ', ...' : ''}): run DATABASE_URL=... paperbot index build to embed them.\n`,
        );
    }
    return EXIT.ok;
  } finally {
    await pool.end();
  }
};
