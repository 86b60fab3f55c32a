import { stemmer } from 'stemmer';

/** Words too common to carry a topic (shared by retrieval and the topic filter). */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by
  can could did do does doing down during each few for from further had has have having he her here hers him his how i if
  in into is it its itself just me more most my no nor not now of off on once only or other our ours out over own same she
  should so some such than that the their theirs them then there these they this those through to too under until up very
  was we were what when where which while who whom why will with would you your yours also there any is are paper papers
  work works show shows shown using use used via e g eg ie et al us one two can many much may might whether something
  does doesn t s anything way ways look looks looking mention mentions discuss discusses talk talks tell say says know
  argue argues argued arguing claim claims claimed claiming suggest suggests suggested suggesting
  actually really basically stuff thing things anyone anybody someone somebody guess guessing get gets got getting
  kind sort pretty lot lots ok okay hey please wonder wondering curious hear heard saw want wants wanted`.split(
    /\s+/,
  ),
);

/** Lowercase, without accents, with curly apostrophes made straight: the text `tokenize` splits. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019]/g, "'");
}

/**
 * Lowercase word stems without stopwords. Hyphenated terms yield their parts, and also the joined
 * form unless `joinCompounds` is false (support checks want only the parts).
 */
export function tokenize(text: string, joinCompounds = true): string[] {
  const tokens: string[] = [];
  const words = foldText(text).match(/[a-z0-9]+(?:[-'][a-z0-9]+)*/g);
  if (!words) return tokens;
  for (const word of words) {
    // "aren't", "doesn't", "won't": a negated auxiliary, no topic.
    if (word.endsWith("n't")) continue;
    const parts = word.includes('-')
      ? [...(joinCompounds ? [word.replace(/-/g, '')] : []), ...word.split('-')]
      : [word.replace(/'.*$/, '')];
    for (const part of parts) {
      if (part.length < 2 && !/\d/.test(part)) continue;
      if (STOPWORDS.has(part)) continue;
      tokens.push(stemmer(part));
    }
  }
  return tokens;
}
