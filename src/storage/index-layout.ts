/**
 * The file in an index directory that says what built the index; read by retrieval to load it and
 * by the embeddings choice to keep an index's own model.
 */
export const MANIFEST_FILE = 'manifest.json';
