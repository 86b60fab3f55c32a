import { createInterface } from 'node:readline/promises';
import type { ConversationTurn } from '../../../src/answering/answerer.ts';
import { describeError, PaperbotError } from '../../../src/errors.ts';
import { type CliCommand, EXIT } from '../context.ts';
import { renderAnswer } from '../render.ts';

/** `paperbot chat`: an interactive conversation; follow-ups see the earlier turns. */
export const chatCommand: CliCommand = async (_args, context) => {
  const { bot } = await context.runtime();
  const history: ConversationTurn[] = [];
  const lines = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
  context.err(`paperbot chat over ${bot.paperCount()} papers. Ask a question; "exit" or Ctrl-D ends.\n`);
  try {
    for (;;) {
      let line: string;
      try {
        line = await lines.question('> ');
      } catch {
        break;
      }
      const question = line.trim();
      if (question === 'exit' || question === 'quit') break;
      if (!question) continue;
      try {
        const answer = await bot.ask(question, { history });
        context.out(`${renderAnswer(answer)}\n`);
        history.push({ role: 'user', text: question }, { role: 'assistant', text: renderAnswer(answer) });
      } catch (error) {
        if (!(error instanceof PaperbotError)) throw error;
        context.err(`${describeError(error)}\n`);
      }
    }
  } finally {
    lines.close();
  }
  return EXIT.ok;
};
