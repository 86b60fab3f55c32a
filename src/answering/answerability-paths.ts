import { join } from 'node:path';
import { PACKAGE_ROOT } from '../corpus/bundled.ts';

/** The committed answerability parameters, fitted by `npm run fit-answerability`. */
export const BUNDLED_ANSWERABILITY_PATH = join(PACKAGE_ROOT, 'index', 'answerability.json');

/** Key of the offline embedding model's parameters (the index manifest's `embeddingModel`). */
export const OFFLINE_EMBEDDING_MODEL = 'local:universal-sentence-encoder-lite';
