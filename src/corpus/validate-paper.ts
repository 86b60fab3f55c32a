import { z } from 'zod';
import { normalizePaperId, normalizeWhitespace, type Paper } from './paper.ts';

const MAX_TITLE = 1_000;
const MAX_ABSTRACT = 20_000;

const optionalString = z
  .string()
  .nullish()
  .transform((value) => (value?.trim() ? value.trim() : undefined));
const optionalCount = z
  .number()
  .int()
  .nonnegative()
  .nullish()
  .transform((value) => value ?? undefined);

const paperSchema = z.object({
  id: z.union([z.string(), z.number()]).transform((value) => normalizePaperId(String(value))),
  title: z.string().transform(normalizeWhitespace).pipe(z.string().min(1, 'title is empty').max(MAX_TITLE)),
  abstract: z
    .string()
    .transform(normalizeWhitespace)
    .pipe(
      z.string().min(1, 'abstract is empty').max(MAX_ABSTRACT, `abstract is over ${MAX_ABSTRACT} characters`),
    ),
  arxivId: optionalString.transform((value) => (value ? normalizePaperId(value) : undefined)),
  authors: z
    .array(z.string())
    .nullish()
    .transform((value) => value?.map((name) => name.trim()).filter(Boolean)),
  publishedAt: optionalString,
  dailyPapersAt: optionalString,
  upvotes: optionalCount,
  commentsCount: optionalCount,
  aiSummary: optionalString,
  aiKeywords: z
    .array(z.string())
    .nullish()
    .transform((value) => value ?? undefined),
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

export type PaperValidation = { ok: true; paper: Paper } | { ok: false; reason: string };

/** Checks and normalises one record; the reason names the first bad fields. */
export function validatePaper(value: unknown): PaperValidation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const parsed = paperSchema.safeParse(value);
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
  return { ok: true, paper };
}
