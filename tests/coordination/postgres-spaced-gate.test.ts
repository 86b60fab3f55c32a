import { openPostgres } from '../../src/postgres/connection.ts';
import { createPostgresSpacedGate } from '../../src/postgres/spaced-gate.ts';
import { describePostgres } from '../helpers/postgres.ts';
import { spacedGateContract } from './spaced-gate.contract.ts';

describePostgres('PostgreSQL spaced gate', (databaseUrl) => {
  spacedGateContract(async () => {
    // Two pools, as two processes would have; each test starts from an empty table.
    const first = await openPostgres(databaseUrl());
    const second = await openPostgres(databaseUrl());
    await first.query('DELETE FROM spaced_gate_passes');
    return {
      gate: createPostgresSpacedGate(first),
      other: createPostgresSpacedGate(second),
      async close() {
        await first.end();
        await second.end();
      },
    };
  });
});
