import { z } from 'zod';
import { stripUnsafeText } from '../text/sanitize.ts';
import { normalizePaperId, normalizeWhitespace, type Paper } from './paper.ts';

/** Longest paper id accepted (arXiv ids are 10-20 characters; corpus-local ids a little more). */
export const MAX_ID = 128;
/** Characters an id may use: letters, digits and `. _ - / :` (old arXiv ids hold a slash). */
const ID_CHARSET = /^[A-Za-z0-9._\-/:]+$/;
const MAX_TITLE = 1_000;
const MAX_ABSTRACT = 20_000;
/** Longest optional text field (summary, links, repository...). */
const MAX_FIELD = 4_000;
/** Most authors or keywords kept, and the longest name of either. */
const MAX_LIST = 5_000;
const MAX_NAME = 300;

const optionalString = z
  .string()
  .max(MAX_FIELD, `is over ${MAX_FIELD} characters`)
  .nullish()
  .transform((value) => (value?.trim() ? value.trim() : undefined));
const nameList = z
  .array(z.string().max(MAX_NAME, `a name is over ${MAX_NAME} characters`))
  .max(MAX_LIST, `has over ${MAX_LIST} entries`)
  .nullish();

/** Why an id is refused, or undefined when it is fine. */
function idProblem(id: string): string | undefined {
  const shown = id.length > 40 ? `${id.slice(0, 40)}...` : id;
  if (id.length > MAX_ID) {
    return `"${shown}" is ${id.length} characters; an id is at most ${MAX_ID} characters (letters, digits and . _ - / :)`;
  }
  if (id && !ID_CHARSET.test(id)) {
    return `"${shown}" holds characters other than letters, digits and . _ - / : (at most ${MAX_ID} of them)`;
  }
  return undefined;
}
const optionalCount = z
  .number()
  .int()
  .nonnegative()
  .nullish()
  .transform((value) => value ?? undefined);

const paperSchema = z.object({
  id: z
    .union([z.string(), z.number()])
    .transform((value) => normalizePaperId(String(value)))
    .superRefine((id, context) => {
      const problem = idProblem(id);
      if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }),
  title: z
    .string()
    .transform(normalizeWhitespace)
    .pipe(z.string().min(1, 'title is empty').max(MAX_TITLE, `title is over ${MAX_TITLE} characters`)),
  abstract: z
    .string()
    .transform(normalizeWhitespace)
    .pipe(
      z.string().min(1, 'abstract is empty').max(MAX_ABSTRACT, `abstract is over ${MAX_ABSTRACT} characters`),
    ),
  arxivId: optionalString.transform((value) => (value ? normalizePaperId(value) : undefined)),
  authors: nameList.transform((value) => value?.map((name) => name.trim()).filter(Boolean)),
  publishedAt: optionalString,
  dailyPapersAt: optionalString,
  upvotes: optionalCount,
  commentsCount: optionalCount,
  aiSummary: optionalString,
  aiKeywords: nameList.transform((value) => value ?? undefined),
  githubRepo: optionalString,
  githubStars: optionalCount,
  projectPage: optionalString,
  trendingRank: optionalCount,
  links: z
    .object({
      abs: optionalString,
      pdf: optionalString,
      code: optionalString,
      project: optionalString,
      huggingFace: optionalString,
    })
    .partial()
    .nullish()
    .transform((value) => value ?? undefined),
  source: optionalString,
});

/** The fields a paper record may have (`ingest file` documents them); any other key is dropped. */
export const PAPER_FIELDS: readonly string[] = Object.keys(paperSchema.shape);

export type PaperValidation =
  | {
      ok: true;
      paper: Paper;
      /** Keys of the record that are not paper fields (dropped). */
      unknownKeys: string[];
    }
  | { ok: false; reason: string };

/** Every string inside `value` (object values, array items) with unsafe characters removed. */
function stripUnsafeDeep(value: unknown): unknown {
  if (typeof value === 'string') return stripUnsafeText(value);
  if (Array.isArray(value)) return value.map(stripUnsafeDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, stripUnsafeDeep(field)]));
  }
  return value;
}

/**
 * Checks and normalises one record; the reason names the first bad fields. Control characters,
 * terminal escapes, bidirectional overrides and zero-width characters are removed from every
 * text field first, so nothing stored can rewrite a terminal or reorder a chat message; the id
 * is bounded in length and characters, so no renderer ever sees a runaway id.
 */
export function validatePaper(value: unknown): PaperValidation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const unknownKeys = Object.keys(value).filter((key) => !PAPER_FIELDS.includes(key));
  const parsed = paperSchema.safeParse(stripUnsafeDeep(value));
  if (!parsed.success) {
    const reason = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`)
      .join('; ');
    return { ok: false, reason };
  }
  const paper = Object.fromEntries(
    Object.entries(parsed.data).filter(([, field]) => field !== undefined),
  ) as unknown as Paper;
  if (!paper.id) return { ok: false, reason: 'id: empty' };
  return { ok: true, paper, unknownKeys };
}
