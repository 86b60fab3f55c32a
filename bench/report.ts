import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where every part writes its JSON and SVG (gitignored). */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export function describeMachine(): string {
  const info = machine();
  return `${info.cpuModel}, ${info.cores} cores, ${(info.memoryBytes / 2 ** 30).toFixed(1)} GiB, Node ${info.node}`;
}

/** Progress and notes go to stderr, so `--json` output on stdout stays one document. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Percentile by nearest rank, of values in any order. */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export interface Quantiles {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  count: number;
}

export function quantiles(values: number[]): Quantiles {
  const total = values.reduce((sum, value) => sum + value, 0);
  return {
    p50: percentile(values, 0.5),
    p95: percentile(values, 0.95),
    p99: percentile(values, 0.99),
    mean: values.length > 0 ? total / values.length : Number.NaN,
    count: values.length,
  };
}

/** Milliseconds since `start` (from `performance.now()`). */
export function since(start: number): number {
  return performance.now() - start;
}

export function formatNumber(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(digits);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** A markdown table (also readable in a terminal). */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...cells.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(headers), rule, ...cells.map(line)].join('\n');
}

/** Writes `bench/results/<name>.json` with the machine description; returns the path. */
export function writeJson(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.json`);
  const document = { machine: machine(), date: new Date().toISOString(), ...(data as object) };
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
  return path;
}

export interface Series {
  label: string;
  points: [number, number][];
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  logY?: boolean;
  /** Draw markers only (no line between points). */
  scatter?: boolean;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const WIDTH = 720;
const HEIGHT = 440;
const MARGIN = { left: 80, right: 190, top: 40, bottom: 60 };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Axis mapping from data values to pixels, linear or log10. */
function axis(values: number[], log: boolean, from: number, to: number) {
  const transform = (value: number) => (log ? Math.log10(Math.max(value, 1e-12)) : value);
  const transformed = values.map(transform);
  let low = Math.min(...transformed);
  let high = Math.max(...transformed);
  if (low === high) {
    low -= 1;
    high += 1;
  }
  const pad = (high - low) * 0.05;
  low -= pad;
  high += pad;
  const map = (value: number) => from + ((transform(value) - low) / (high - low)) * (to - from);
  const ticks: number[] = [];
  if (log) {
    for (let power = Math.floor(low); power <= Math.ceil(high); power++) {
      if (power >= low && power <= high) ticks.push(10 ** power);
    }
  }
  if (ticks.length < 2) {
    ticks.length = 0;
    const [rawLow, rawHigh] = log ? [10 ** low, 10 ** high] : [low, high];
    for (let step = 0; step <= 5; step++) ticks.push(rawLow + ((rawHigh - rawLow) * step) / 5);
  }
  return { map, ticks };
}

function tickLabel(value: number): string {
  if (Math.abs(value) >= 10_000) return `${Number((value / 1000).toPrecision(3))}k`;
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(3)));
}

/** A line (or scatter) plot as SVG text, written to `bench/results/<name>.svg`; returns the path. */
export function writeSvg(name: string, series: Series[], options: PlotOptions): string {
  const all = series.flatMap((entry) => entry.points);
  const x = axis(
    all.map(([value]) => value),
    options.logX ?? false,
    MARGIN.left,
    WIDTH - MARGIN.right,
  );
  const y = axis(
    all.map(([, value]) => value),
    options.logY ?? false,
    HEIGHT - MARGIN.bottom,
    MARGIN.top,
  );
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`,
    `<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 15}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(18 ${HEIGHT / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  ];
  for (const tick of x.ticks) {
    const px = x.map(tick).toFixed(1);
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" stroke="#eee"/>`,
      `<text x="${px}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${tickLabel(tick)}</text>`,
    );
  }
  for (const tick of y.ticks) {
    const py = y.map(tick).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py}" y2="${py}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${tickLabel(tick)}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${WIDTH - MARGIN.left - MARGIN.right}" height="${HEIGHT - MARGIN.top - MARGIN.bottom}" fill="none" stroke="#333"/>`,
  );
  series.forEach((entry, position) => {
    const colour = COLOURS[position % COLOURS.length];
    const pixels = entry.points.map(([px, py]) => `${x.map(px).toFixed(1)},${y.map(py).toFixed(1)}`);
    if (!options.scatter && pixels.length > 1) {
      parts.push(`<polyline points="${pixels.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    }
    for (const pixel of pixels) {
      const [cx, cy] = pixel.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${colour}"/>`);
    }
    const legendY = MARGIN.top + 10 + position * 20;
    const legendX = WIDTH - MARGIN.right + 12;
    parts.push(
      `<rect x="${legendX}" y="${legendY - 6}" width="14" height="4" fill="${colour}"/>`,
      `<text x="${legendX + 20}" y="${legendY}" dominant-baseline="middle">${escapeXml(entry.label)}</text>`,
    );
  });
  parts.push(
    `<text x="${WIDTH - 8}" y="${HEIGHT - 4}" text-anchor="end" font-size="9" fill="#888">${escapeXml(describeMachine())}</text>`,
    '</svg>',
  );
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.svg`);
  writeFileSync(path, `${parts.join('\n')}\n`);
  return path;
}

/** Resident set size now, in bytes. */
export function rssBytes(): number {
  return process.memoryUsage.rss();
}
