/** The parts of `bibtex-parse` (a PEG.js BibTeX grammar; it throws on a syntax error) the tests use. */
declare module 'bibtex-parse' {
  /** Entries with `key`, `type` and upper-case field names (`TITLE`, `AUTHOR`, ...). */
  export function entries(bibtex: string): Array<{ key: string; type: string } & Record<string, unknown>>;
}
