import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import { normalizePaperId, normalizeWhitespace, type Paper } from '../corpus/paper.ts';
import { validatePaper } from '../corpus/validate-paper.ts';
import { PaperbotError } from '../errors.ts';
import type { SkippedItem } from './hugging-face-client.ts';

const ATOM = 'http://www.w3.org/2005/Atom';
const OPENSEARCH = 'http://a9.com/-/spec/opensearch/1.1/';

/** One page of an arXiv API answer. */
export interface ArxivFeedPage {
  papers: Paper[];
  /** Entries that could not be used, with reasons. */
  skipped: SkippedItem[];
  /** Entries on this page, skipped ones included. */
  entries: number;
  /** `opensearch:totalResults`: matches for the whole query. */
  totalResults: number;
  /** `opensearch:startIndex` of this page. */
  startIndex: number;
}

const ELEMENT_NODE = 1;

function children(parent: Element, namespace: string, name: string): Element[] {
  const found: Element[] = [];
  for (let node: Node | null = parent.firstChild; node; node = node.nextSibling) {
    const element = node as Element;
    if (node.nodeType === ELEMENT_NODE && element.namespaceURI === namespace && element.localName === name) {
      found.push(element);
    }
  }
  return found;
}

function childText(parent: Element, namespace: string, name: string): string | undefined {
  const element = children(parent, namespace, name)[0];
  const value = element?.textContent ? normalizeWhitespace(element.textContent) : '';
  return value || undefined;
}

function isoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** Parses XML; a body that is not well-formed XML (a truncated one, say) throws. */
function parseXml(xml: string): Element {
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`not well-formed XML: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
  const root = document.documentElement;
  if (!root || root.namespaceURI !== ATOM || root.localName !== 'feed') {
    throw new Error(`expected an Atom <feed>, got <${root?.nodeName ?? 'nothing'}>`);
  }
  return root;
}

function mapEntry(entry: Element, position: number): { paper: Paper } | SkippedItem {
  const rawId = childText(entry, ATOM, 'id') ?? '';
  const id = normalizePaperId(rawId);
  const label = `entry ${position + 1}${rawId ? ` (${id})` : ''}`;
  if (!rawId) return { item: label, reason: 'no <id>' };
  const links = children(entry, ATOM, 'link');
  const abs = links.find((link) => link.getAttribute('rel') === 'alternate')?.getAttribute('href');
  const pdf = links
    .find((link) => link.getAttribute('title') === 'pdf' || link.getAttribute('type') === 'application/pdf')
    ?.getAttribute('href');
  const authors = children(entry, ATOM, 'author').flatMap((author) => {
    const name = childText(author, ATOM, 'name');
    return name ? [name] : [];
  });
  const result = validatePaper({
    id,
    title: childText(entry, ATOM, 'title') ?? '',
    abstract: childText(entry, ATOM, 'summary') ?? '',
    authors: authors.length > 0 ? authors : undefined,
    publishedAt: isoDate(childText(entry, ATOM, 'published')),
    links: {
      abs: abs?.replace(/v\d+$/, '') ?? `https://arxiv.org/abs/${id}`,
      pdf: pdf?.replace(/v\d+$/, '') ?? `https://arxiv.org/pdf/${id}`,
    },
    source: 'arxiv',
  });
  if (!result.ok) return { item: label, reason: result.reason };
  return { paper: result.paper };
}

/**
 * Parses an arXiv API Atom feed (current and legacy formats) by namespace, never by prefix or
 * order. Ids lose their version (`2401.01234v2` -> `2401.01234`); whitespace is normalised.
 * Throws when the body is not an Atom feed, and `ARXIV_QUERY_ERROR` when arXiv answers with its
 * error entry (a malformed query or id).
 */
export function parseArxivFeed(xml: string): ArxivFeedPage {
  const feed = parseXml(xml);
  const entries = children(feed, ATOM, 'entry');
  const first = entries[0];
  const firstId = first ? childText(first, ATOM, 'id') : undefined;
  if (first && firstId?.includes('/api/errors')) {
    throw new PaperbotError(
      'ARXIV_QUERY_ERROR',
      `arXiv rejected the query: ${childText(first, ATOM, 'summary') ?? firstId}. Fix --query or the ids.`,
    );
  }
  const papers: Paper[] = [];
  const skipped: SkippedItem[] = [];
  entries.forEach((entry, position) => {
    const mapped = mapEntry(entry, position);
    if ('paper' in mapped) papers.push(mapped.paper);
    else skipped.push(mapped);
  });
  const number = (name: string) => {
    const value = Number(childText(feed, OPENSEARCH, name));
    return Number.isFinite(value) ? value : undefined;
  };
  return {
    papers,
    skipped,
    entries: entries.length,
    totalResults: number('totalResults') ?? entries.length,
    startIndex: number('startIndex') ?? 0,
  };
}
