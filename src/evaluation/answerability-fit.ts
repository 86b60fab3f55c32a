import { join } from 'node:path';
import {
  answerabilityFeatures,
  DENSE_FEATURES,
  FEATURE_NAMES,
  type FeatureContext,
  type FeatureName,
  type Features,
} from '../answering/answerability-features.ts';
import {
  type AnswerabilityModel,
  fitLogistic,
  predict,
  type TrainingExample,
} from '../answering/answerability-model.ts';
import type { Retriever } from '../retrieval/types.ts';
import { loadBeir, readQueries } from './beir.ts';
import { RESTYLINGS, restyle } from './restyle.ts';

/**
 * Sets the committed parameters are fitted on (under `tests/fixtures/eval/`): every set the team
 * has written and reported on. Until 2026-11-30 only seed-dev and team-a..c were fitted on, then
 * team-a..l; the fifth session added team-m..u, the sixth team-v..y and then team-z/aa/ab, the
 * seventh team-ac/ad, the eighth team-ae..ak, the ninth team-ap..as, the tenth team-at..ay, the
 * eleventh team-az..bb, the twelfth team-bc..be, the thirteenth team-bf..bh, the fourteenth
 * team-bi..bk, the fifteenth team-bl..bq, the eighteenth team-cd..cl, the nineteenth team-cv..cx,
 * the twentieth team-de..dj, the twenty-first team-dk..dp, the twenty-second team-dq..dv, each a blind set that had reported before it joined.
 * The twenty-seventh session moved the twenty-seven oldest calibration sets here (team-br..cc,
 * team-cm..cu, team-cy..dd: a hundred and twenty-nine), so that only sets written under the current
 * protocol calibrate (`CALIBRATION_SETS`); chosen over keeping them there on that session's
 * decision sets (team-gk..gp), see the README's Quality section.
 * Held out (`--grid`), twenty-six against twenty-two sets moved a few questions only (flagged
 * 545 → 543/600, declined 31 → 26/985). New sets must be written blind and reported on before they
 * join this list.
 */
export const FIT_SETS = [
  'seed-dev',
  'team-a',
  'team-b',
  'team-c',
  'team-d',
  'team-e',
  'team-f',
  'team-g',
  'team-h',
  'team-i',
  'team-j',
  'team-k',
  'team-l',
  'team-m',
  'team-n',
  'team-o',
  'team-p',
  'team-q',
  'team-r',
  'team-s',
  'team-t',
  'team-u',
  'team-v',
  'team-w',
  'team-x',
  'team-y',
  'team-z',
  'team-aa',
  'team-ab',
  'team-ac',
  'team-ad',
  'team-ae',
  'team-af',
  'team-ag',
  'team-ah',
  'team-ai',
  'team-aj',
  'team-ak',
  'team-ap',
  'team-aq',
  'team-ar',
  'team-as',
  'team-at',
  'team-au',
  'team-av',
  'team-aw',
  'team-ax',
  'team-ay',
  'team-az',
  'team-ba',
  'team-bb',
  'team-bc',
  'team-bd',
  'team-be',
  'team-bf',
  'team-bg',
  'team-bh',
  'team-bi',
  'team-bj',
  'team-bk',
  'team-bl',
  'team-bm',
  'team-bn',
  'team-bo',
  'team-bp',
  'team-bq',
  'team-cd',
  'team-ce',
  'team-cf',
  'team-cg',
  'team-ch',
  'team-ci',
  'team-cj',
  'team-ck',
  'team-cl',
  'team-cv',
  'team-cw',
  'team-cx',
  'team-de',
  'team-df',
  'team-dg',
  'team-dh',
  'team-di',
  'team-dj',
  'team-dk',
  'team-dl',
  'team-dm',
  'team-dn',
  'team-do',
  'team-dp',
  'team-dq',
  'team-dr',
  'team-ds',
  'team-dt',
  'team-du',
  'team-dv',
  'team-dw',
  'team-dx',
  'team-dy',
  'team-dz',
  'team-ea',
  'team-eb',
  'team-br',
  'team-bs',
  'team-bt',
  'team-bu',
  'team-bv',
  'team-bw',
  'team-bx',
  'team-by',
  'team-bz',
  'team-ca',
  'team-cb',
  'team-cc',
  'team-cm',
  'team-cn',
  'team-co',
  'team-cp',
  'team-cq',
  'team-cr',
  'team-cs',
  'team-ct',
  'team-cu',
  'team-cy',
  'team-cz',
  'team-da',
  'team-db',
  'team-dc',
  'team-dd',
];

/**
 * Sets the thresholds are calibrated on (`npm run fit-answerability -- --calibrate`): blind sets
 * written after the score's signals were chosen, never fitted on. Since the twenty-fifth session
 * their answerable questions are in the question memory (`npm run build-question-memory`), and each
 * is left out of it while it is calibrated on, as `paperbot eval` leaves out the set it measures.
 * The weights are fitted on `FIT_SETS`; the thresholds sit where these sets, scored by that fit
 * through the bot, are farthest inside the bar. A fit's in-sample scores are kinder than a new
 * question's, so thresholds set on the fit sets' own scores flagged fewer unanswerable questions on
 * new sets (86.7-88%) than cross-validation promised (93.8%). Since the twenty-fourth session the
 * report sets join these once they have reported, not `FIT_SETS` (team-ec..et, eighteen): the
 * sets written in the newest styles are the nearest to questions nobody has asked yet, and the
 * twenty-seven older ones alone flag fewer unanswerable questions and hedge fewer answerable ones
 * than every batch of new sets, so the thresholds they choose hedge new styles more than the bar.
 * The twenty-fourth session's last report sets (team-eu..ez) joined in the twenty-fifth (fifty-one),
 * the twenty-fifth session's (team-fa..fr) in the twenty-sixth (sixty-nine), the twenty-sixth
 * session's (team-fs..gj) in the twenty-seventh, which moved the twenty-seven older ones (team-br..dd,
 * written before the current protocol) to `FIT_SETS`: sixty, team-ec..gj.
 */
export const CALIBRATION_SETS = [
  'team-ec',
  'team-ed',
  'team-ee',
  'team-ef',
  'team-eg',
  'team-eh',
  'team-ei',
  'team-ej',
  'team-ek',
  'team-el',
  'team-em',
  'team-en',
  'team-eo',
  'team-ep',
  'team-eq',
  'team-er',
  'team-es',
  'team-et',
  'team-eu',
  'team-ev',
  'team-ew',
  'team-ex',
  'team-ey',
  'team-ez',
  'team-fa',
  'team-fb',
  'team-fc',
  'team-fd',
  'team-fe',
  'team-ff',
  'team-fg',
  'team-fh',
  'team-fi',
  'team-fj',
  'team-fk',
  'team-fl',
  'team-fm',
  'team-fn',
  'team-fo',
  'team-fp',
  'team-fq',
  'team-fr',
  'team-fs',
  'team-ft',
  'team-fu',
  'team-fv',
  'team-fw',
  'team-fx',
  'team-fy',
  'team-fz',
  'team-ga',
  'team-gb',
  'team-gc',
  'team-gd',
  'team-ge',
  'team-gf',
  'team-gg',
  'team-gh',
  'team-gi',
  'team-gj',
];

/**
 * Blind report sets once they have reported (README, Quality): written blind, run on their session's
 * start and final code only, their failing questions unread; not fitted on, not calibrated on, not
 * in the question memory. Floors only. The twenty-eighth session's (team-hc..ht, eighteen) reported
 * the twenty-seventh session's final code untouched; nothing was changed after them. The
 * twenty-seventh session's: team-gk..gp decided between its two changes (so they are no longer
 * untouched), team-gq..gv and team-gw..hb reported its final code untouched. The twenty-sixth
 * session's (team-fs..gj) joined `CALIBRATION_SETS` in the twenty-seventh; the twenty-fifth
 * session's (team-fa..fr) in the twenty-sixth; the twenty-fourth session's last ones
 * (team-eu..ez) in the twenty-fifth; the twenty-third and
 * twenty-fourth sessions' earlier ones (team-ec..et) in the twenty-fourth. The twenty-second
 * session's (team-dw..eb) joined `FIT_SETS` in the twenty-third, the twenty-first session's
 * (team-dq..dv) in the twenty-second, the twentieth session's (team-dk..dp) in the twenty-first,
 * the nineteenth session's (team-de..dj) in the twentieth, the eighteenth session's (team-cv..cx)
 * in the nineteenth, the sixteenth and seventeenth sessions' (team-cd..cl) in the eighteenth.
 */
export const REPORT_SETS = [
  'team-gk',
  'team-gl',
  'team-gm',
  'team-gn',
  'team-go',
  'team-gp',
  'team-gq',
  'team-gr',
  'team-gs',
  'team-gt',
  'team-gu',
  'team-gv',
  'team-gw',
  'team-gx',
  'team-gy',
  'team-gz',
  'team-ha',
  'team-hb',
  'team-hc',
  'team-hd',
  'team-he',
  'team-hf',
  'team-hg',
  'team-hh',
  'team-hi',
  'team-hj',
  'team-hk',
  'team-hl',
  'team-hm',
  'team-hn',
  'team-ho',
  'team-hp',
  'team-hq',
  'team-hr',
  'team-hs',
  'team-ht',
];

/**
 * Every evaluation set the team may study, with floors in `tests/fixtures/eval/measured.json`: the
 * fit sets, the calibration sets, and the blind report sets once they have reported (each run once
 * on its final code).
 */
export const EVAL_SETS = [...FIT_SETS, ...CALIBRATION_SETS, ...REPORT_SETS];

/** Written negatives (off-domain, near-domain and detail questions), training only. */
export const TRAINING_NEGATIVES = 'training/negatives.jsonl';

/** Weight of a leave-one-out near-miss negative: some are still answerable by unjudged papers. */
export const NEAR_MISS_WEIGHT = 0.25;

/**
 * Share of the training set's answerable questions allowed below each threshold. Since the sixteenth
 * session the committed pair is chosen on the calibration sets (`CALIBRATION_SETS`, which the weights
 * never saw): `npm run fit-answerability` fits the weights on the fit sets, asks the calibration
 * sets through the bot under that fit, and keeps the pair of its grid (decline 1-3%, answer
 * 10-40% since the twenty-third session, `CALIBRATION_ANSWER_SHARES`) farthest inside the bar.
 * In the twenty-seventh session, with team-fs..gj joining the calibration sets and the memory (7,505
 * questions) and the twenty-seven older calibration sets moved to `FIT_SETS` (a hundred and
 * twenty-nine fit sets, sixty calibration sets, team-ec..gj), it picked 0.01 and 0.14 (thresholds
 * 0.0693 and 0.705; 1395/1500 flagged, 47/2400 declined, 531/2400 uncertain; margins 3.0, 3.0, 2.9;
 * training AUC 0.958). With the older sets left where they were (eighty-seven calibration sets) it
 * also picked 0.01 and 0.14 (0.0931 and 0.709; 2008/2175, 98/3480, 688/3480; margins 2.3, 2.2,
 * 5.2), which declined 7/240 answerable questions on that session's decision sets (team-gk..gp)
 * against 5/240 for the one kept: not kept.
 * In the twenty-sixth session, with team-fa..fr joining the calibration sets (sixty-nine) and the
 * memory (6,785 questions), it picked 0.01 and 0.15 (thresholds 0.0995 and 0.734; 1594/1725
 * flagged, 86/2760 declined, 588/2760 uncertain; margins 2.4, 1.9, 3.7; training AUC 0.962). With
 * the twenty-seven older calibration sets (team-br..dd) moved to `FIT_SETS` as well, so that only
 * sets written under the current protocol calibrate (forty-two), it picked 0.01 and 0.13 (0.0748
 * and 0.679; 968/1050, 36/1680, 366/1680; margins 2.2, 2.9, 3.2), which flagged 134/150 on that
 * session's decision sets (team-fs..fx) against 136/150 for the start and for this fit: not kept.
 * In the twenty-fifth session, with team-eu..ez joining the calibration sets (fifty-one) and the
 * memory holding the calibration sets' questions too (6,065), it picked 0.01 and 0.14 (thresholds
 * 0.104 and 0.710; 1168/1275 flagged, 70/2040 declined, 399/2040 uncertain; margins 1.6, 1.6, 5.4;
 * training AUC 0.961); with the calibration sets joined but the memory as before it picked 0.01
 * and 0.16 (0.0988 and 0.726; 1169/1275, 73/2040, 447/2040).
 * In the twenty-fourth session, with the eighteen spent report sets team-ec..et joining the
 * calibration sets (forty-five; weights unchanged), it picked 0.01 and 0.15 (thresholds 0.0988 and
 * 0.705; 1032/1125 flagged, 64/1800 declined, 341/1800 uncertain; margins 1.7, 1.4, 6.1; at 0.01
 * and 0.17: 1045, 66, 391). In the twenty-third session (a hundred and two fit sets with team-dw..eb, 4,025 remembered
 * questions) it picked 0.01 and 0.17 (thresholds 0.0988 and 0.748;
 * 620/675 flagged, 40/1080 declined, 186/1080 uncertain; margins 1.9, 1.3, 7.8; training AUC 0.956); on the old
 * grid from 20% it would have picked 0.01 and 0.2 (0.099 and 0.792; 627/675, 40/1080, 211/1080;
 * margins 2.9, 1.3, 5.5). In the twenty-second session (ninety-six fit sets with
 * team-dq..dv, 3,785 remembered questions) it picked 0.01 and 0.2 (thresholds 0.100 and 0.795;
 * 633/675 flagged, 40/1080 declined, 220/1080 uncertain; margins 3.8, 1.3, 4.6). With the answer
 * shares extended down to 10% it picked 0.01 and 0.16 (0.100 and 0.727; 617/675, 39/1080,
 * 180/1080; margins 1.4, 1.4, 8.3), winning on one declined question while the flagged margin
 * fell 3.8 → 1.4 points; the grid was left at 20-40%. In the twenty-first session (ninety fit sets with team-dk..dp,
 * 3,545 remembered questions, the score weighing each question word by its IDF times the memory's
 * word reliability, as BM25 does, and retrieval searching what was asked about each paper) it
 * picked 0.01 and 0.2 (thresholds 0.0754 and 0.798; 636/675 flagged, 39/1080 declined, 222/1080
 * uncertain; margins 4.2, 1.4, 4.4); before the list of what was asked, 0.01 and 0.2 (0.0777 and
 * 0.769; 628/675, 42/1080, 236/1080; margins 3.0, 1.1, 3.1); with IDF alone as well, 0.01 and 0.2
 * (0.0832 and 0.717; 616/675, 45/1080, 206/1080; margins 1.3, 0.8, 5.9). In the twentieth session (eighty-four fit sets with team-de..dj,
 * 3,305 remembered questions, BM25 weighing each question word by its reliability over the judged
 * questions) it picked 0.01 and 0.2 (thresholds 0.0881 and 0.721; 617/675 flagged, 45/1080
 * declined, 205/1080 uncertain; margins 1.4, 0.8, 6.0); without the word reliability, 0.01 and
 * 0.25 (0.0847 and 0.768; 619/675, 44/1080, 238/1080; margins 1.7, 0.9, 3.0). In the nineteenth session (seventy-eight fit sets, twenty-seven
 * calibration sets with team-cy..dd, the detail rules reading figures named by what they measure,
 * the features read from the sentences that ask) it picked 0.01 and 0.25 (thresholds 0.0778 and
 * 0.770; 618/675 flagged, 45/1080 declined, 241/1080 uncertain; margins 1.6, 0.8, 2.7) once 0.005
 * left the grid (`DECLINE_SHARES`); with it, 0.005 and 0.25 (0.0492 and 0.770; 618/675, 35/1080,
 * 251/1080; margins 1.6, 1.8, 1.8), which hedged "how do I bake sourdough bread …" instead of
 * declining it. With the features read from the whole message it picked 0.015 and 0.25 (0.0934
 * and 0.771; 615/675, 41/1080, 253/1080; margins 1.1, 1.2, 1.6). In the eighteenth session (seventy-five fit sets, twenty-one
 * calibration sets with team-cm..cu) it picked 0.02 and 0.26 (thresholds 0.113 and 0.778; 476/525
 * flagged, 34/840 declined, 202/840 uncertain; margins 0.7, 1.0, 1.0: the bar is barely met on
 * twenty-one sets together); on eighteen (without team-cs..cu) it picked 0.03 and 0.26 (407/450,
 * 29/720, 170/720), and with the twelve older calibration sets alone the refit picked 0.03 and
 * 0.32. In the sixteenth session (sixty-six fit sets, twelve calibration sets) it picked 0.02 and
 * 0.31 (thresholds 0.123 and 0.831; 276/300 flagged, 12/480 declined, 111/480 uncertain; margins
 * 2.0, 2.5, 1.9), where 0.01 and 0.24 gave 264/300, 8/480, 85/480: the flagged share 2 points
 * under the bar on sets the fit never saw, though 93.8% held out over the fit sets. This constant
 * is the default of `--cv`, `--grid` and `--ablation`, and must equal the pair the fit prints.
 *
 * Until the fifteenth session the pair was chosen by leave-one-set-out cross-validation over the fit
 * sets, measured through the bot
 * (`npm run fit-answerability -- --grid`, which prints the choice): of the pairs whose held-out sets
 * together meet the bar (>= 90% of unanswerable questions declined or uncertain, <= 5% of
 * answerable declined, <= 25% uncertain), the one farthest from it (the largest smallest margin, in
 * points; ties by the largest sum of margins; sets outside the fit, the last report sets, choose
 * nothing). A decline share of 0 is no candidate (since the fifteenth session): it puts the decline
 * threshold at the lowest answerable fit score, so the score declines nothing it is sure of.
 * Over the sixty sets with restyled copies (fourteenth session) the rule picks 0 and
 * 0.22 (1356/1450 flagged, 28/2345 declined, 502/2345 uncertain; margins 3.5, 3.8, 3.6), which is
 * NOT adopted: a decline share of 0 sets the decline threshold at the lowest answerable score
 * (0.0073), so the score declines almost nothing ("who received the 2018 Turing Award?" became
 * uncertain). 0.01 and 0.24 stayed (1367, 46, 525: margins 4.3, 3.0, 2.6), and the floor above
 * came from it; under that floor the same grid would have picked 0.005 and 0.22 (margins 3.5, 3.4,
 * 4.0), never tried through the tests. Over the sixty without the copies, 0.01 and 0.24 (margins
 * 3.4, 2.7, 2.9). The grid was not rerun on the sixty-six sets of the fifteenth session.
 * Over the fifty-seven sets (thirteenth session): 1288/1375 flagged, 48/2225 declined,
 * 497/2225 uncertain (margins 3.7, 2.8, 2.7); 0.01 and 0.24 again.
 * Over the fifty-four sets with the question-memory signal (twelfth session): 1219/1300
 * flagged, 45/2105 declined, 469/2105 uncertain (margins 3.8, 2.9, 2.7); 0.01 and 0.24.
 * Over the fifty-one sets with the best-clause signal (eleventh session): 1128/1225
 * flagged, 57/1985 declined, 459/1985 uncertain (margins 2.1, 2.1, 1.9); 0.02 and 0.26.
 * Over the forty-eight sets with corpus names (eleventh session): 1053/1150 flagged,
 * 48/1865 declined, 437/1865 uncertain (margins 1.6, 2.4, 1.6); 0.015 and 0.26 (0.03 and 0.28 gave
 * 1067, 73, 447: margins 2.8, 1.1, 1.0).
 * Over the forty-two sets with pseudo-relevance feedback (tenth session): 908/1000
 * flagged, 65/1625 declined, 374/1625 uncertain (margins 0.8, 1.0, 2.0); 0.03 and 0.28 again.
 * Over the thirty-eight sets with the question memory (ninth session): 823/900 flagged,
 * 57/1465 declined, 336/1465 uncertain (margins 1.4, 1.1, 2.1). Over thirty-eight without it and over
 * thirty-one (seventh session: 663/725 flagged, 35/1185 declined, 283/1185 uncertain) it picked
 * 0.02 and 0.27. Over twenty-nine
 * (sixth session) it picked 0.03 and 0.27; over twenty-six, 0.015 and 0.25; over twenty-two, 0.02
 * and 0.26; until the fifth session 0.03 and 0.28.
 */
export const THRESHOLD_QUANTILES = { decline: 0.01, answer: 0.14 };

/** One labelled example with the set it came from, for fitting and cross-validation. */
export interface LabelledExample extends TrainingExample {
  set: string;
  kind: 'answerable' | 'unanswerable' | 'near-miss' | 'written-negative' | 'restyled';
  id: string;
}

/**
 * Builds the training examples of the given sets: answerable questions (label 1), their
 * unanswerable questions, leave-one-out near misses (the same question with every judged paper
 * hidden from the hits) and the written negatives (label 0); and each
 * answerable and unanswerable question also asked after a sentence of context and as a spoken
 * transcript (`restyle.ts`), with its label, kind `restyled`. Thresholds, AUC and the replay read
 * the questions as written only.
 */
export async function collectExamples(options: {
  evalDir: string;
  sets: string[];
  retriever: Retriever;
  /** The retriever for a set's own questions (one whose question memory leaves the set out). */
  retrieverFor?: (set: string) => Retriever;
  context: FeatureContext;
  /** The feature context for a set's own questions (its word reliability leaves the set out). */
  contextFor?: (set: string) => FeatureContext;
  mode: 'hybrid' | 'lexical';
  withWrittenNegatives?: boolean;
}): Promise<LabelledExample[]> {
  const { mode } = options;
  const examples: LabelledExample[] = [];
  let retriever = options.retriever;
  let context = options.context;
  const features = async (text: string, hide: Set<string> = new Set()): Promise<Features> => {
    const hits = (await retriever.search(text, { k: 10 + hide.size, mode }))
      .filter((hit) => !hide.has(hit.paper.id))
      .slice(0, 10);
    return answerabilityFeatures(text, hits, context);
  };
  for (const set of options.sets) {
    retriever = options.retrieverFor?.(set) ?? options.retriever;
    context = options.contextFor?.(set) ?? options.context;
    const dir = join(options.evalDir, set);
    const beir = loadBeir(dir);
    for (const query of beir.queries) {
      examples.push({
        set,
        kind: 'answerable',
        id: query.id,
        label: 1,
        weight: 1,
        features: await features(query.text),
      });
      const judged = new Set(beir.qrels.get(query.id)?.keys() ?? []);
      examples.push({
        set,
        kind: 'near-miss',
        id: query.id,
        label: 0,
        weight: NEAR_MISS_WEIGHT,
        features: await features(query.text, judged),
      });
    }
    const unanswerable = readQueries(join(dir, 'unanswerable.jsonl'));
    for (const query of unanswerable) {
      examples.push({
        set,
        kind: 'unanswerable',
        id: query.id,
        label: 0,
        weight: 1,
        features: await features(query.text),
      });
    }
    const labelled = [
      ...beir.queries.map((query) => ({ query, label: 1 as const })),
      ...unanswerable.map((query) => ({ query, label: 0 as const })),
    ];
    for (const { query, label } of labelled) {
      for (const style of RESTYLINGS) {
        examples.push({
          set,
          kind: 'restyled',
          id: `${query.id}/${style}`,
          label,
          weight: 1,
          features: await features(restyle(query.text, query.id, style)),
        });
      }
    }
  }
  if (options.withWrittenNegatives ?? true) {
    retriever = options.retriever;
    context = options.context;
    for (const query of readQueries(join(options.evalDir, TRAINING_NEGATIVES))) {
      examples.push({
        set: 'training',
        kind: 'written-negative',
        id: query.id,
        label: 0,
        weight: 1,
        features: await features(query.text),
      });
    }
  }
  return examples;
}

/** The value below which at most `share` of the values lie. */
function lowerQuantile(values: number[], share: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  const index = Math.floor(share * sorted.length);
  return sorted[Math.min(index, sorted.length - 1)] ?? 0.5;
}

/**
 * A positive threshold to six significant digits, rounded down: rounding up could lift it over the
 * training value it sits on, and decline or hedge one more answerable question than the quantile allows.
 */
export function roundDown(value: number): number {
  const rounded = Number(value.toPrecision(6));
  if (rounded <= value) return rounded;
  return Number((rounded - 10 ** (Math.floor(Math.log10(value)) - 5)).toPrecision(6));
}

/** Fits a model on examples; thresholds from the answerable questions' probabilities. */
export function fitModel(
  examples: LabelledExample[],
  features: FeatureName[],
  quantiles = THRESHOLD_QUANTILES,
): AnswerabilityModel {
  const fitted = fitLogistic(examples, features);
  return withQuantiles({ ...fitted, thresholds: { decline: 0, answer: 0 } }, examples, quantiles);
}

/**
 * The model with its thresholds at the given shares of the training examples' answerable questions
 * (the weights unchanged).
 */
export function withQuantiles(
  model: AnswerabilityModel,
  examples: LabelledExample[],
  quantiles: { decline: number; answer: number },
): AnswerabilityModel {
  const answerable = examples
    .filter((example) => example.kind === 'answerable')
    .map((example) => predict(model, example.features));
  return {
    ...model,
    thresholds: {
      decline: roundDown(lowerQuantile(answerable, quantiles.decline)),
      answer: roundDown(lowerQuantile(answerable, quantiles.answer)),
    },
  };
}

/** Features of the model with embeddings, and of the lexical-only fallback. */
export function featureSets(exclude: FeatureName[] = []): { dense: FeatureName[]; lexical: FeatureName[] } {
  const dense = FEATURE_NAMES.filter((name) => !exclude.includes(name));
  return { dense, lexical: dense.filter((name) => !DENSE_FEATURES.includes(name)) };
}
