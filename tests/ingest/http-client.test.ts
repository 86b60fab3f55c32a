import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClientOptions, HttpRequestError } from '../../src/ingest/http-client.ts';
import { FeedServer } from '../fakes/feed-server.ts';

/** A clock that only moves when the client "sleeps", recording every wait. */
function fakeTime(start = Date.parse('2026-06-12T12:00:00Z')) {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: { now: () => now },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('createHttpClient', () => {
  let server: FeedServer;
  let time: ReturnType<typeof fakeTime>;
  const client = (options: HttpClientOptions = {}) =>
    createHttpClient({ clock: time.clock, sleep: time.sleep, random: () => 0.5, ...options });

  beforeEach(async () => {
    server = await FeedServer.start(() => ({ body: '{"ok":true}' }));
    time = fakeTime();
  });
  afterEach(() => server.close());

  it('waits the Retry-After seconds of a 429, then succeeds', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '7' }, body: 'slow down' });
    expect(await client().getJson(`${server.url}/api/daily_papers`)).toEqual({ ok: true });
    expect(time.sleeps).toEqual([7_000]);
    expect(server.requests).toHaveLength(2);
  });

  it('reads Retry-After as an HTTP date relative to the clock', async () => {
    const at = new Date(time.clock.now() + 12_000).toUTCString();
    server.enqueue({ status: 503, headers: { 'retry-after': at } });
    await client().getJson(server.url);
    expect(time.sleeps).toEqual([12_000]);
  });

  it('honours the RateLimit reset when there is no Retry-After', async () => {
    server.enqueue(
      { status: 429, headers: { ratelimit: '"api";r=0;t=42' } },
      { status: 429, headers: { 'ratelimit-reset': '5' } },
    );
    await client().getJson(server.url);
    expect(time.sleeps).toEqual([42_000, 5_000]);
  });

  it('retries a 500 with exponential backoff and jitter, then succeeds', async () => {
    server.enqueue({ status: 500 }, { status: 502 }, { status: 500 });
    const result = await client({ baseDelayMs: 1_000, random: () => 0 }).getJson(server.url);
    expect(result).toEqual({ ok: true });
    // random() = 0 gives half of 1 s, 2 s, 4 s.
    expect(time.sleeps).toEqual([500, 1_000, 2_000]);
  });

  it('fails after the last try with a message naming the URL and the status', async () => {
    server.setRoute(() => ({ status: 503, body: 'busy' }));
    const url = `${server.url}/api/daily_papers?date=2026-06-12`;
    const error = await client({ maxAttempts: 3 })
      .getJson(url, { hint: 'Check HF_API_URL.' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpRequestError);
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 503, url });
    expect((error as Error).message).toContain(url);
    expect((error as Error).message).toMatch(/after 3 tries: HTTP 503 .*Check HF_API_URL\./);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a 404', async () => {
    server.setRoute(() => ({ status: 404, body: 'no such page' }));
    await expect(client().getJson(server.url)).rejects.toMatchObject({ code: 'HTTP_STATUS', status: 404 });
    expect(server.requests).toHaveLength(1);
  });

  it('times out a request that never answers and retries it', async () => {
    // The first try stalls until the client's own deadline aborts it; the retry answers at once
    // (no network), so no deadline races a real request however slow the machine is.
    const tries: (AbortSignal | undefined)[] = [];
    const stalledThenAnswered: typeof fetch = async (_input, init) => {
      tries.push(init?.signal ?? undefined);
      if (tries.length === 1) {
        const signal = init!.signal!;
        return new Promise<Response>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
      }
      return new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } });
    };
    expect(await client({ timeoutMs: 150, fetch: stalledThenAnswered }).getJson(server.url)).toEqual({
      ok: true,
    });
    expect(tries).toHaveLength(2);
    expect((tries[0]!.reason as Error).name).toBe('TimeoutError');
  });

  it('reports a timeout clearly after the last try', async () => {
    server.setRoute(() => ({ hang: true }));
    await expect(client({ timeoutMs: 100, maxAttempts: 2 }).getJson(server.url)).rejects.toMatchObject({
      code: 'HTTP_TIMEOUT',
      message: expect.stringMatching(/no complete answer within 100 ms/),
    });
  });

  it('retries a truncated body, and the next request of the run still works', async () => {
    const body = JSON.stringify({ items: Array.from({ length: 50 }, (_, n) => n) });
    server.enqueue({ body, truncateAt: 20 });
    server.setRoute(() => ({ body }));
    expect(await client().getJson(server.url)).toEqual(JSON.parse(body));
    expect(server.requests).toHaveLength(2);
  });

  it('fails only that request when every body is truncated', async () => {
    server.setRoute(() => ({ body: '[1,2,3,4,5,6,7,8,9]', truncateAt: 4 }));
    const http = client({ maxAttempts: 2 });
    await expect(http.getJson(`${server.url}/a`)).rejects.toMatchObject({
      code: expect.stringMatching(/HTTP_NETWORK|HTTP_BODY_INVALID/),
      message: expect.stringContaining(`${server.url}/a`),
    });
    server.setRoute(() => ({ body: '[]' }));
    expect(await http.getJson(`${server.url}/b`)).toEqual([]);
  });

  it('rejects an invalid JSON body as HTTP_BODY_INVALID', async () => {
    server.setRoute(() => ({ body: '<html>maintenance</html>' }));
    await expect(client({ maxAttempts: 2 }).getJson(server.url)).rejects.toMatchObject({
      code: 'HTTP_BODY_INVALID',
    });
  });

  it('fails at once when the server asks to wait longer than allowed', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '3600' } });
    await expect(client({ maxServerDelayMs: 60_000 }).getJson(server.url)).rejects.toMatchObject({
      code: 'HTTP_RATE_LIMITED',
      message: expect.stringMatching(/wait 3600 s/),
    });
    expect(time.sleeps).toEqual([]);
  });

  it('spaces requests to one host by the minimum interval, not other hosts', async () => {
    const starts: { host: string; at: number }[] = [];
    const http = client({
      fetch: (input, init) => {
        starts.push({ host: new URL(String(input)).hostname, at: time.clock.now() });
        return fetch(input, init);
      },
    });
    server.setRoute(() => ({ body: '[]' }));
    const other = server.url.replace('127.0.0.1', 'localhost');
    await Promise.all([
      ...[1, 2, 3].map((n) => http.getJson(`${server.url}/q${n}`, { minIntervalMs: 3_000 })),
      http.getJson(`${other}/elsewhere`, { minIntervalMs: 3_000 }),
    ]);
    const arxiv = starts.filter((start) => start.host === '127.0.0.1').map((start) => start.at);
    expect(arxiv).toHaveLength(3);
    expect(arxiv[1]! - arxiv[0]!).toBeGreaterThanOrEqual(3_000);
    expect(arxiv[2]! - arxiv[1]!).toBeGreaterThanOrEqual(3_000);
    expect(time.sleeps).toEqual([3_000, 3_000]);
  });
});
