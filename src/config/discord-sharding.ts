/**
 * Which Discord shards one process runs (`DISCORD_SHARDS`, `DISCORD_SHARD_COUNT`).
 * `auto`: every shard Discord recommends (`GET /gateway/bot`), in this one process.
 * Otherwise: the listed shard ids out of `count` shards in total, the same `count` in every process.
 */
export type DiscordSharding = 'auto' | { ids: readonly number[]; count: number };

/** The largest shard count accepted (Discord's largest bots run a few thousand shards). */
const MAX_SHARD_COUNT = 100_000;

function parseCount(text: string): number | string {
  if (!/^\d+$/.test(text))
    return `DISCORD_SHARD_COUNT=${JSON.stringify(text)}: must be a whole number of shards, e.g. 2`;
  const count = Number(text);
  if (count < 1 || count > MAX_SHARD_COUNT) {
    return `DISCORD_SHARD_COUNT=${text}: must be between 1 and ${MAX_SHARD_COUNT}`;
  }
  return count;
}

/** `0,1`, `0-3` or `0-3,8`: shard ids, or a message naming the bad part. */
function parseIds(text: string): number[] | string {
  const ids: number[] = [];
  for (const part of text.split(',').map((item) => item.trim())) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range) {
      return `DISCORD_SHARDS=${JSON.stringify(text)}: "${part}" is not a shard id or range; use e.g. 0,1 or 0-3 or auto`;
    }
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (last < first) return `DISCORD_SHARDS=${JSON.stringify(text)}: range "${part}" runs backwards`;
    if (last - first > MAX_SHARD_COUNT)
      return `DISCORD_SHARDS=${JSON.stringify(text)}: range "${part}" is too long`;
    for (let id = first; id <= last; id++) ids.push(id);
  }
  const duplicate = ids.find((id, position) => ids.indexOf(id) !== position);
  if (duplicate !== undefined)
    return `DISCORD_SHARDS=${JSON.stringify(text)}: shard ${duplicate} is listed twice`;
  return ids;
}

/**
 * Parses the two variables together. Both unset: `sharding` is undefined (one shard, as
 * discord.js does by default). Returns every problem found, each naming the variable, its value
 * and how to fix it.
 */
export function parseDiscordSharding(input: { shards?: string; count?: string; hasToken: boolean }): {
  sharding?: DiscordSharding;
  problems: string[];
} {
  const shards = input.shards?.trim() || undefined;
  const countText = input.count?.trim() || undefined;
  if (shards === undefined && countText === undefined) return { problems: [] };
  const problems: string[] = [];
  if (!input.hasToken) problems.push('DISCORD_SHARDS/DISCORD_SHARD_COUNT are set but DISCORD_TOKEN is not');
  if (shards?.toLowerCase() === 'auto') {
    if (countText !== undefined) {
      problems.push(
        `DISCORD_SHARD_COUNT=${countText} with DISCORD_SHARDS=auto: auto takes the count from Discord; unset DISCORD_SHARD_COUNT, or list this process's shard ids in DISCORD_SHARDS`,
      );
    }
    return problems.length > 0 ? { problems } : { sharding: 'auto', problems };
  }
  if (shards === undefined) {
    problems.push(
      `DISCORD_SHARD_COUNT=${countText} needs DISCORD_SHARDS: the shard ids this process runs (e.g. 0,1), or auto`,
    );
    return { problems };
  }
  if (countText === undefined) {
    problems.push(
      `DISCORD_SHARDS=${shards} needs DISCORD_SHARD_COUNT: the total number of shards over every process (the same value in each)`,
    );
    return { problems };
  }
  const ids = parseIds(shards);
  const count = parseCount(countText);
  if (typeof ids === 'string') problems.push(ids);
  if (typeof count === 'string') problems.push(count);
  if (typeof ids !== 'string' && typeof count !== 'string') {
    const outside = ids.filter((id) => id >= count);
    if (outside.length > 0) {
      problems.push(
        `DISCORD_SHARDS=${shards}: shard ids must be below DISCORD_SHARD_COUNT=${count} (ids run from 0 to ${count - 1}); ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not`,
      );
    }
    if (problems.length === 0) return { sharding: { ids, count }, problems };
  }
  return { problems };
}
