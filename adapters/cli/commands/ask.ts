import { parseArgs } from 'node:util';
import { type CliCommand, EXIT } from '../context.ts';
import { answerJson, renderAnswer } from '../render.ts';

export const USAGE = 'Usage: paperbot ask "<question>" [--json]\n';

/** `paperbot ask`: one question, answered from the corpus with citations. */
export const askCommand: CliCommand = async (args, context) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const question = positionals.join(' ');
  if (!question.trim()) {
    context.err(USAGE);
    return EXIT.usage;
  }
  const { bot } = await context.runtime();
  const answer = await bot.ask(question);
  context.out(values.json ? `${JSON.stringify(answerJson(answer))}\n` : renderAnswer(answer));
  return EXIT.ok;
};
