import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.ts';
import { splitSentences } from '../../src/corpus/sentences.ts';
import {
  extractiveSummary,
  MAX_SUMMARY_LENGTH,
  type Summarizer,
  shortenAuthors,
  summarizePaper,
} from '../../src/trending/summarize.ts';

const abstract =
  'Large models are costly to serve, e.g. at 3.5 tokens per watt. Prior work prunes layers. ' +
  'We propose LayerSkip, which exits early when confident. It halves latency on five benchmarks.';

const base: Paper = { id: '2607.00001', title: 'LayerSkip', abstract };

class ScriptedSummarizer implements Summarizer {
  readonly name = 'scripted';
  calls = 0;
  constructor(private readonly reply: string | Error) {}
  async summarize(): Promise<string> {
    this.calls++;
    if (this.reply instanceof Error) throw this.reply;
    return this.reply;
  }
}

describe('summaries', () => {
  it('splits sentences without breaking on "e.g." or decimals', () => {
    expect(splitSentences(abstract)).toHaveLength(4);
    expect(splitSentences(abstract)[0]).toBe(
      'Large models are costly to serve, e.g. at 3.5 tokens per watt.',
    );
  });

  it('extracts the contribution sentence and the next one when it is short', () => {
    expect(extractiveSummary(abstract)).toBe(
      'We propose LayerSkip, which exits early when confident. It halves latency on five benchmarks.',
    );
  });

  it('caps long summaries at a word boundary', () => {
    const summary = extractiveSummary(`We propose ${'very '.repeat(200)}long things.`);
    expect(summary.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
    expect(summary.endsWith('…')).toBe(true);
  });

  it('prefers the feed summary and does not call the summarizer', async () => {
    const summarizer = new ScriptedSummarizer('LLM text.');
    const result = await summarizePaper({ ...base, aiSummary: 'Feed summary.' }, { summarizer });
    expect(result).toEqual({ summary: 'Feed summary.', source: 'feed' });
    expect(summarizer.calls).toBe(0);
  });

  it('uses the summarizer when the feed has none, and falls back to extractive when it fails', async () => {
    expect(await summarizePaper(base, { summarizer: new ScriptedSummarizer('LLM text.') })).toEqual({
      summary: 'LLM text.',
      source: 'llm',
    });
    const failed = await summarizePaper(base, { summarizer: new ScriptedSummarizer(new Error('timeout')) });
    expect(failed.source).toBe('extractive');
    expect(failed.summary).toContain('We propose LayerSkip');
  });

  it('shortens author lists', () => {
    expect(shortenAuthors(['Ada Lovelace'])).toBe('A. Lovelace');
    expect(shortenAuthors(['Hyunjae Kim', 'Serina S. Applebaum', 'Qingyu Chen', 'Hua Xu'])).toBe(
      'H. Kim, S. S. Applebaum et al.',
    );
    expect(shortenAuthors(undefined)).toBe('');
  });
});
