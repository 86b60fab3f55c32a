import { paperByline } from '../../src/corpus/citation.ts';
import { normalizeWhitespace, type PaperLinks, paperLinks } from '../../src/corpus/paper.ts';
import { hasGoodMatch, relevanceLabel } from '../../src/retrieval/relevance.ts';
import type { SearchHit } from '../../src/retrieval/types.ts';
import { sanitizeText } from '../../src/text/sanitize.ts';
import type { Digest } from '../../src/trending/types.ts';
import {
  fallbackFrom,
  type KnownBlock,
  packMessages,
  SLACK_LIMITS,
  type SlackMessage,
  section,
} from './answer-blocks.ts';
import { link, safeText, truncateMrkdwn } from './mrkdwn.ts';

/** Action id of the "Share in channel" button under `/papers` results. */
export const SHARE_PAPERS_ACTION = 'paperbot_share_papers';

const SUMMARY_CHARS = 280;

/** The feed's one-line summary, else the abstract's first sentence, cut to a line. */
export function oneLineSummary(abstract: string, aiSummary?: string): string {
  const text = normalizeWhitespace(aiSummary ?? abstract);
  const sentence = text.match(/^.+?[.!?](?=\s|$)/)?.[0] ?? text;
  return sentence.length > SUMMARY_CHARS ? `${sentence.slice(0, SUMMARY_CHARS - 1).trimEnd()}…` : sentence;
}

/** "relevance high (0.83)", or the fused score for hits without a relevance. */
function relevanceText(hit: SearchHit): string {
  return hit.relevance === undefined
    ? `score ${hit.score.toFixed(2)}`
    : `relevance ${relevanceLabel(hit.relevance)} (${hit.relevance.toFixed(2)})`;
}

function linkRow(links: PaperLinks): string {
  const labelled: [string | undefined, string][] = [
    [links.abs, 'arXiv'],
    [links.pdf, 'PDF'],
    [links.code, 'Code'],
    [links.project, 'Project'],
    [links.huggingFace, 'Hugging Face'],
  ];
  return labelled
    .map(([url, label]) => (url ? link(url, label) : ''))
    .filter((entry) => entry.includes('<'))
    .join(' · ');
}

/**
 * `/papers` results: title, one-line summary, score and links per paper; with `shareQuery`, a
 * "Share in channel" button whose value is the query (re-run when clicked).
 */
export function renderPapers(
  query: string,
  hits: SearchHit[],
  options: { shareQuery?: string } = {},
): SlackMessage {
  if (hits.length === 0) {
    const text = `No papers match “${safeText(query)}”.`;
    return { text, blocks: [section(text)] };
  }
  const heading = section(
    truncateMrkdwn(
      `*Papers for “${safeText(query)}”*${hasGoodMatch(hits) ? '' : '\n_No good match in the corpus; the closest papers:_'}`,
      SLACK_LIMITS.sectionChars,
    ),
  );
  const items = hits.slice(0, 10).map((hit, index) => {
    const links = paperLinks(hit.paper);
    const title = link(links.abs, safeText(normalizeWhitespace(hit.paper.title)));
    const byline = paperByline(hit.paper);
    const lines = [
      `*${index + 1}. ${title}*${byline ? ` · ${safeText(byline)}` : ''} · ${relevanceText(hit)}`,
      safeText(oneLineSummary(hit.paper.abstract, hit.paper.aiSummary)),
      linkRow(links),
    ].filter(Boolean);
    return section(truncateMrkdwn(lines.join('\n'), SLACK_LIMITS.sectionChars));
  });
  const trailing: KnownBlock[] = [];
  const shareValue = options.shareQuery?.slice(0, SLACK_LIMITS.buttonValueChars);
  if (shareValue) {
    trailing.push({
      type: 'actions',
      block_id: 'paperbot_share',
      elements: [
        {
          type: 'button',
          action_id: SHARE_PAPERS_ACTION,
          text: { type: 'plain_text', text: 'Share in channel' },
          value: shareValue,
        },
      ],
    });
  }
  // Ten items of at most 3,000 characters can exceed one message: keep the first message only.
  const [first] = packMessages([heading, ...items], trailing, (blocks) => fallbackFrom(blocks, 'Papers'));
  return first!;
}

/** A digest as one Slack message: a header, one section per paper (or the empty-day note). */
export function renderDigest(digest: Digest): SlackMessage {
  // Digest titles usually carry the date already ("Trending papers · 2026-07-31"): never show it twice.
  const title = sanitizeText(digest.title);
  const headerText = (title.includes(digest.date) ? title : `${title} · ${digest.date}`).slice(0, 150);
  const header: KnownBlock = { type: 'header', text: { type: 'plain_text', text: headerText, emoji: true } };
  if (digest.items.length === 0) {
    const note = safeText(digest.note ?? 'No new papers today.');
    return {
      text: truncateMrkdwn(`${safeText(headerText)}: ${note}`, SLACK_LIMITS.fallbackChars),
      blocks: [header, section(note)],
    };
  }
  const items = digest.items.map((item) => {
    const title = link(item.links.abs, safeText(normalizeWhitespace(item.title)));
    const details = [
      item.authors ? `_${safeText(item.authors)}_` : '',
      item.upvotes !== undefined ? `▲ ${item.upvotes}` : '',
      linkRow(item.links),
    ].filter(Boolean);
    const lines = [
      `*${item.rank}. ${title}*`,
      safeText(normalizeWhitespace(item.summary)),
      details.join(' · '),
    ];
    return section(truncateMrkdwn(lines.filter(Boolean).join('\n'), SLACK_LIMITS.sectionChars));
  });
  const [first] = packMessages([header, ...items], [], () => '');
  const shown = first!.blocks.length - 1;
  const text = `${safeText(headerText)}: ${digest.items
    .slice(0, shown)
    .map((item) => `${item.rank}. ${safeText(normalizeWhitespace(item.title))}`)
    .join('; ')}`;
  return { blocks: first!.blocks, text: truncateMrkdwn(text, SLACK_LIMITS.fallbackChars) };
}
