/** Sentences shorter than this are joined to the one before (abbreviations, list fragments). */
const MIN_SENTENCE = 25;

/** Splits an abstract into sentences, keeping decimals, "e.g." and "et al." intact. */
export function splitSentences(text: string): string[] {
  const protectedText = text.replace(/\b(e\.g|i\.e|et al|vs|cf|Fig|Eq|approx)\./gi, (match) =>
    match.replace(/\./g, '\u2024'),
  );
  const pieces = protectedText
    .split(/(?<=[.!?])\s+(?=[A-Z0-9(\u0391-\u03a9"'])/)
    .map((piece) => piece.replace(/\u2024/g, '.').trim())
    .filter(Boolean);
  const sentences: string[] = [];
  for (const piece of pieces) {
    const previous = sentences.at(-1);
    if (previous !== undefined && (piece.length < MIN_SENTENCE || previous.length < MIN_SENTENCE)) {
      sentences[sentences.length - 1] = `${previous} ${piece}`;
    } else {
      sentences.push(piece);
    }
  }
  return sentences;
}
