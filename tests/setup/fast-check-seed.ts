import fc from 'fast-check';

// The seed the global setup chose for this run (`fast-check-global.ts`).
const seed = Number(process.env.PAPERBOT_FC_SEED);
if (Number.isSafeInteger(seed)) fc.configureGlobal({ seed });
