import type { Answerer, AnswerRequest } from '../../src/answering/answerer.ts';
import { fakeAnswer } from './fake-bot.ts';

/** An answerer that remembers each request in `seen` and answers "About <question>", citing nothing. */
export function recordingAnswerer(seen: AnswerRequest[]): Answerer {
  return {
    name: 'recording',
    async answer(request) {
      seen.push(request);
      return fakeAnswer(`About ${request.question}`, []);
    },
  };
}
