/**
 * Chooses the seed of every fast-check property in this run, once, and prints it: fixed in CI
 * (`CI=true`) so a red build is reproducible and never luck; random locally so properties keep
 * exploring. `FC_SEED=<n>` fixes it anywhere, e.g. to replay a seed a run printed. Test workers
 * read it from `PAPERBOT_FC_SEED` (see `fast-check-seed.ts`).
 */
export const CI_SEED = 20261130;

export default function setup(): void {
  const given = process.env.FC_SEED ?? (process.env.CI === 'true' ? String(CI_SEED) : undefined);
  const seed = given === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(given);
  if (!Number.isSafeInteger(seed))
    throw new Error(`FC_SEED=${JSON.stringify(given)} is not an integer seed.`);
  process.env.PAPERBOT_FC_SEED = String(seed);
  const why = process.env.FC_SEED ? 'FC_SEED' : given ? 'fixed in CI' : 'random; FC_SEED=<n> to replay';
  console.info(`fast-check seed ${seed} (${why})`);
}
