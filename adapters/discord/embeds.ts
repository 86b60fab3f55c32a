import type { APIEmbed } from 'discord.js';
import type { Answer } from '../../src/answering/answerer.ts';
import { paperByline } from '../../src/corpus/citation.ts';
import { paperLinks } from '../../src/corpus/paper.ts';
import { hasGoodMatch, relevanceLabel } from '../../src/retrieval/relevance.ts';
import type { SearchHit } from '../../src/retrieval/types.ts';
import { capParts } from '../../src/text/cap-text.ts';
import type { Digest, DigestItem } from '../../src/trending/types.ts';
import { escapeUntrusted, maskedLink, oneLine, safeUrl, splitText, truncate } from './markdown.ts';

/** Discord's embed limits (characters, except `embedsPerMessage` and `fields`). */
export const EMBED_LIMITS = {
  title: 256,
  description: 4_096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footer: 2_048,
  /** Sum over every embed of a message: titles, descriptions, field names and values, footers. */
  total: 6_000,
  embedsPerMessage: 10,
} as const;

/** Room left in each message for a footer added at send time (the digest's key marker). */
export const FOOTER_RESERVE = 120;
/** Room for an answer's footer notes (both notes are under 120 characters). */
const FOOTER_ROOM = 120;

const BRAND = 0x5865f2;

/** The characters of an embed that count towards the 6,000 limit. */
export function embedLength(embed: APIEmbed): number {
  let length = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  length += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) length += field.name.length + field.value.length;
  return length;
}

/** Groups embeds into messages of at most 10 embeds and `total - reserve` characters each. */
export function packEmbeds(embeds: readonly APIEmbed[], reserve = 0): APIEmbed[][] {
  const budget = EMBED_LIMITS.total - reserve;
  const messages: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let used = 0;
  for (const embed of embeds) {
    const length = embedLength(embed);
    if (current.length > 0 && (current.length === EMBED_LIMITS.embedsPerMessage || used + length > budget)) {
      messages.push(current);
      current = [];
      used = 0;
    }
    current.push(embed);
    used += length;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

function itemEmbed(item: DigestItem): APIEmbed {
  // Each item stays well under 6,000 (minus the footer reserve), so any item fits in a message.
  const summary = truncate(escapeUntrusted(oneLine(item.summary)), 3_000);
  const links = (
    [
      ['PDF', item.links.pdf],
      ['Code', item.links.code],
      ['Project', item.links.project],
    ] as const
  ).flatMap(([label, url]) => (safeUrl(url) ? [maskedLink(label, url)] : []));
  const fields: NonNullable<APIEmbed['fields']> = [];
  // Discord refuses a message with an empty field value: blank authors get no field.
  const authors = truncate(escapeUntrusted(oneLine(item.authors ?? '')), 300);
  if (authors) fields.push({ name: 'Authors', value: authors, inline: true });
  if (item.upvotes !== undefined) fields.push({ name: 'Upvotes', value: String(item.upvotes), inline: true });
  if (links.length > 0) fields.push({ name: 'Links', value: links.join(' · '), inline: true });
  return {
    title: truncate(`${item.rank}. ${escapeUntrusted(oneLine(item.title))}`, EMBED_LIMITS.title),
    ...(safeUrl(item.links.abs) ? { url: safeUrl(item.links.abs) } : {}),
    description: summary || '(no summary)',
    color: BRAND,
    ...(fields.length > 0 ? { fields } : {}),
  };
}

/** A digest as embeds: a heading embed (title, day, or the empty-day note), then one per paper. */
export function digestEmbeds(digest: Digest): APIEmbed[] {
  const heading: APIEmbed = {
    title: truncate(escapeUntrusted(oneLine(digest.title)), EMBED_LIMITS.title),
    description: digest.note
      ? truncate(escapeUntrusted(digest.note), 1_000)
      : digest.items.length > 0
        ? `Daily Papers of ${digest.date} · ${digest.items.length} paper${digest.items.length === 1 ? '' : 's'}`
        : `No papers for ${digest.date}.`,
    color: BRAND,
  };
  return [heading, ...digest.items.map(itemEmbed)];
}

/** Ranked papers for `/search`, in one embed (title, link, score, a line of the abstract each). */
export function searchEmbed(query: string, hits: readonly SearchHit[]): APIEmbed {
  const title = truncate(`Papers for “${escapeUntrusted(oneLine(query))}”`, EMBED_LIMITS.title);
  if (hits.length === 0) return { title, description: 'No matching papers.', color: BRAND };
  const lead = hasGoodMatch(hits) ? '' : '*No good match in the corpus; the closest papers:*\n\n';
  const lines: string[] = [];
  let length = lead.length;
  hits.forEach((hit, index) => {
    const label = escapeUntrusted(oneLine(hit.paper.title));
    const snippet = truncate(escapeUntrusted(oneLine(hit.paper.abstract)), 240);
    const relevance =
      hit.relevance === undefined
        ? hit.score.toFixed(2)
        : `relevance ${relevanceLabel(hit.relevance)} (${hit.relevance.toFixed(2)})`;
    const byline = paperByline(hit.paper);
    const by = byline ? ` · ${escapeUntrusted(byline)}` : '';
    const line = `**${index + 1}.** ${maskedLink(label, paperLinks(hit.paper).abs)}${by} · ${relevance}\n${snippet}`;
    if (length + line.length + 2 > EMBED_LIMITS.description) return;
    lines.push(line);
    length += line.length + 2;
  });
  return { title, description: `${lead}${lines.join('\n\n')}`, color: BRAND };
}

/** Embed colour of an `uncertain` answer (closest papers, may not answer). */
const UNCERTAIN_COLOR = 0xf0b232;

/** Source lines packed into fields of at most 1,024 characters. */
function sourceFields(answer: Answer): NonNullable<APIEmbed['fields']> {
  const fields: NonNullable<APIEmbed['fields']> = [];
  let value = '';
  const heading = answer.outcome === 'uncertain' ? 'Closest papers' : 'Sources';
  for (const source of answer.sources) {
    const label = truncate(escapeUntrusted(oneLine(source.title)), 200);
    const by = source.byline ? ` · ${escapeUntrusted(source.byline)}` : '';
    const line = `\\[${source.n}\\] ${maskedLink(label, source.link)}${by}`;
    if (value && value.length + line.length + 1 > EMBED_LIMITS.fieldValue) {
      fields.push({ name: fields.length === 0 ? heading : `${heading} (cont.)`, value });
      value = '';
    }
    value = value ? `${value}\n${line}` : line;
  }
  if (value) fields.push({ name: fields.length === 0 ? heading : `${heading} (cont.)`, value });
  return fields.slice(0, EMBED_LIMITS.fields);
}

/** Embeds of answer text sent at most: a runaway answer is a few messages, not dozens. */
export const MAX_ANSWER_EMBEDS = 3;

/**
 * A cited answer as embeds: the question as title, the answer text (escaped: it may quote
 * abstracts) split over descriptions, sources as fields on the last embed.
 */
export function answerEmbeds(question: string, answer: Answer): APIEmbed[] {
  // At most `MAX_ANSWER_EMBEDS` chunks, the last ending with `…(truncated)` when any were dropped.
  const chunks = capParts(
    splitText(escapeUntrusted(answer.answer), EMBED_LIMITS.description),
    MAX_ANSWER_EMBEDS,
    EMBED_LIMITS.description,
    truncate,
  );
  const embeds: APIEmbed[] = (chunks.length > 0 ? chunks : ['(empty answer)']).map((description) => ({
    description,
    color: answer.declined ? 0x99aab5 : answer.outcome === 'uncertain' ? UNCERTAIN_COLOR : BRAND,
  }));
  embeds[0]!.title = truncate(escapeUntrusted(oneLine(question)), EMBED_LIMITS.title);
  let last = embeds[embeds.length - 1]!;
  if (!answer.declined && answer.sources.length > 0) {
    const fields = sourceFields(answer);
    const fieldsLength = fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
    // An embed over 6,000 characters cannot be sent at all: sources that do not fit beside a long
    // last part (plus the footer) get an embed of their own.
    if (embedLength(last) + fieldsLength + FOOTER_ROOM > EMBED_LIMITS.total) {
      last = { color: last.color, fields };
      embeds.push(last);
    } else last.fields = fields;
  }
  const notes = [
    answer.declined
      ? 'No abstract in the corpus supports an answer.'
      : answer.outcome === 'uncertain'
        ? 'Closest papers only: the abstracts may not answer this.'
        : '',
  ];
  if (answer.fallbackReason) notes.push('Answered offline (the language model was unavailable).');
  const footer = notes.filter(Boolean).join(' ');
  if (footer) last.footer = { text: footer };
  return embeds;
}
