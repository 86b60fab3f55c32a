import { describe, expect, it } from 'vitest';
import { chatIntent, chatReply, looksEnglish, withoutGreeting } from '../../src/answering/chat-intent.ts';

describe('chatIntent', () => {
  it('recognises whole messages of help, greeting, thanks and questions about the conversation', () => {
    const cases: [string, string][] = [
      ['help', 'help'],
      ['What can you do?', 'help'],
      ['how do I use this?', 'help'],
      ['hi', 'greeting'],
      ['Hello there!', 'greeting'],
      ['thanks!', 'thanks'],
      ['ok, thank you so much', 'thanks'],
      ['what did I ask first?', 'conversation'],
      ['What was my last question?', 'conversation'],
    ];
    for (const [message, intent] of cases) expect([message, chatIntent(message)]).toEqual([message, intent]);
  });

  it('leaves real questions alone, even with "help" or a pronoun in them', () => {
    for (const question of [
      'which methods help remedy catastrophic forgetting?',
      'help me find papers on probing syntax',
      'how does it work in state-space models?',
      'Hi, which papers study probing?',
      'What is Nugget?',
    ])
      expect([question, chatIntent(question)]).toEqual([question, undefined]);
  });

  it('drops a greeting in front of a question', () => {
    expect(withoutGreeting('Hi, which papers study probing?')).toBe('which papers study probing?');
    expect(withoutGreeting('hi')).toBe('hi');
  });

  it('answers questions about the conversation from the history', () => {
    const history = [
      { role: 'user' as const, text: 'first question?' },
      { role: 'assistant' as const, text: 'first answer' },
      { role: 'user' as const, text: 'second question?' },
      { role: 'assistant' as const, text: 'second answer' },
    ];
    const corpus = { paperCount: 3, topics: [] };
    expect(chatReply('conversation', 'what did I ask first?', history, corpus)).toContain(
      '"first question?"',
    );
    expect(chatReply('conversation', 'what was my last question?', history, corpus)).toContain(
      '"second question?"',
    );
    expect(chatReply('conversation', 'what did I ask first?', [], corpus)).toMatch(/not asked anything/);
  });
});

describe('looksEnglish', () => {
  it('tells other languages by script and by function words', () => {
    for (const text of [
      'Quels articles étudient les embeddings de phrases ?',
      'Welche Arbeiten untersuchen die Zwischenschichten von Sprachmodellen?',
      '¿Qué artículos hablan de embeddings?',
      'Quali articoli studiano gli embeddings delle frasi?',
      '哪些论文研究了句子嵌入？',
      'Какие статьи изучают эмбеддинги?',
    ])
      expect([text, looksEnglish(text)]).toEqual([text, false]);
    for (const text of [
      'Which papers study sentence embeddings?',
      'Nugget?',
      'LoRA vs prefix tuning',
      'papers by Smith et al. on probing',
      'what is the role of de-duplication in la pretraining data?',
    ])
      expect([text, looksEnglish(text)]).toEqual([text, true]);
  });
});
