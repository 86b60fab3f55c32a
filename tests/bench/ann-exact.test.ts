import { describe, expect, it } from 'vitest';
import { atRecall } from '../../bench/ann-exact.ts';
import { encodeVector } from '../../bench/ann-pgvector.ts';

describe('atRecall', () => {
  const curve = [
    { ef: 40, recall10: 0.99, qps: 800 },
    { ef: 10, recall10: 0.9, qps: 2000 },
    { ef: 20, recall10: 0.94, qps: 1500 },
  ];

  it('takes the lowest ef reaching the target and interpolates QPS on the crossing segment', () => {
    const at = atRecall(curve, 0.95);
    expect(at.ef).toBe(40);
    expect(at.qpsAtEf).toBe(800);
    // 0.95 is a fifth of the way from 0.94 (1,500 QPS) to 0.99 (800 QPS).
    expect(at.qpsInterpolated).toBeCloseTo(1360, 6);
  });

  it('uses the first point as is when it already reaches the target, and null when none does', () => {
    expect(atRecall(curve, 0.85)).toEqual({ ef: 10, qpsAtEf: 2000, qpsInterpolated: 2000 });
    expect(atRecall(curve, 0.995)).toEqual({ ef: null, qpsAtEf: null, qpsInterpolated: null });
  });
});

describe('encodeVector', () => {
  it("writes pgvector's binary format: int16 dim, int16 0, big-endian float4", () => {
    const buffer = encodeVector(Float32Array.from([1, -0.5]));
    expect([...buffer]).toEqual([0, 2, 0, 0, 0x3f, 0x80, 0, 0, 0xbf, 0, 0, 0]);
  });
});
