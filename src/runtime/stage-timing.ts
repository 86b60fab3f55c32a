import type { Answerer } from '../answering/answerer.ts';
import type { Retriever } from '../retrieval/types.ts';

/** Receives the duration of one stage of a question, in seconds. */
export type StageObserver = (stage: 'retrieval' | 'answer', seconds: number) => void;

const seconds = (startedAt: bigint) => Number(process.hrtime.bigint() - startedAt) / 1e9;

/** A retriever that reports how long each search took (also failed ones). */
export function timedRetriever(retriever: Retriever, observe: StageObserver): Retriever {
  return {
    async search(query, options) {
      const startedAt = process.hrtime.bigint();
      try {
        return await retriever.search(query, options);
      } finally {
        observe('retrieval', seconds(startedAt));
      }
    },
  };
}

/** An answerer that reports how long each answer took (also failed ones). */
export function timedAnswerer(answerer: Answerer, observe: StageObserver): Answerer {
  return {
    name: answerer.name,
    async answer(request) {
      const startedAt = process.hrtime.bigint();
      try {
        return await answerer.answer(request);
      } finally {
        observe('answer', seconds(startedAt));
      }
    },
  };
}
