import { createInterface } from 'node:readline/promises';
import type { ConversationTurn } from '../../../src/answering/answerer.ts';
import { describeError, PaperbotError } from '../../../src/errors.ts';
import { type CliCommand, EXIT } from '../context.ts';
import { renderAnswer } from '../render.ts';

export const USAGE = `Usage: paperbot chat
An interactive conversation over the corpus; follow-ups see the earlier turns.
Commands inside the chat: /reset forgets the conversation, exit (or Ctrl-D) ends it.
`;

/** `paperbot chat`: an interactive conversation; follow-ups see the earlier turns. */
export const chatCommand: CliCommand = async (_args, context) => {
  const { bot } = await context.runtime();
  const history: ConversationTurn[] = [];
  // Counted before readline starts: lines read during an await would be lost.
  const paperCount = await bot.paperCount();
  // On a terminal, readline gives line editing and an in-session history (up/down arrows).
  const terminal = Boolean(process.stdin.isTTY);
  const lines = createInterface({
    input: process.stdin,
    ...(terminal
      ? { output: process.stderr, terminal: true, historySize: 200, prompt: '> ' }
      : { terminal: false }),
  });
  const prompt = () => (terminal ? lines.prompt() : context.err('> '));
  context.err(
    `paperbot chat over ${paperCount} papers. Ask a question; /reset forgets the conversation; "exit" or Ctrl-D ends.\n`,
  );
  prompt();
  // The async iterator buffers lines that arrive while an answer is being computed.
  for await (const line of lines) {
    const question = line.trim();
    if (question === 'exit' || question === 'quit') break;
    if (question === '/reset') {
      context.err(`Conversation reset (${history.length / 2} earlier questions forgotten).\n`);
      history.length = 0;
    } else if (question) {
      try {
        const answer = await bot.ask(question, { history });
        const text = renderAnswer(answer);
        context.out(`${text}\n`);
        const sources = answer.sources.map((source) => ({ paperId: source.paperId }));
        history.push({ role: 'user', text: question }, { role: 'assistant', text, sources });
      } catch (error) {
        if (!(error instanceof PaperbotError)) throw error;
        context.err(`${describeError(error)}\n`);
      }
    }
    prompt();
  }
  lines.close();
  return EXIT.ok;
};
