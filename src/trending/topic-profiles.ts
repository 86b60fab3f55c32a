/**
 * Known topics: a short description and the phrases that are evidence for each. A typed topic that
 * names one of them (its name or an alias, compared as word stems) is matched on this evidence;
 * any other text is matched on evidence built from its own words (`topic-evidence.ts`).
 *
 * Phrases are matched as consecutive word stems of the title and abstract (`tokenize`), so
 * "language models" also matches "language model" and "retrieval-augmented" matches
 * "retrieval augmented". `strong` phrases say the paper is about the topic when they are prominent;
 * `weak` ones only add to other evidence.
 */
export interface TopicProfile {
  /** The canonical topic text. */
  name: string;
  /** Other texts that name the same topic. */
  aliases: readonly string[];
  /** One or two sentences saying what is on the topic; embedded for the similarity part of the score. */
  description: string;
  /** Phrases that on their own say the paper is about the topic. */
  strong: readonly string[];
  /** Phrases that support other evidence. */
  weak: readonly string[];
}

/*
 * The REPORT topics of the labelled set (tests/fixtures/topics/README.md) were written from the
 * topic and its judging rule only, before and without looking at any paper of the set.
 */
export const TOPIC_PROFILES: readonly TopicProfile[] = [
  {
    name: 'retrieval-augmented generation',
    aliases: ['RAG', 'retrieval augmented generation', 'retrieval-augmented LLMs', 'deep research'],
    description:
      'Language models that generate answers grounded on documents retrieved from a corpus or the web: retrieval-augmented generation, search agents and deep research.',
    strong: [
      'retrieval-augmented',
      'retrieval augmented',
      'RAG',
      'deep research',
      'search agent',
      'retrieved documents',
      'retrieved passages',
      'retrieved evidence',
      'retrieved context',
      'open-domain question answering',
      'knowledge-intensive',
    ],
    weak: [
      'retrieval',
      'retriever',
      'search engine',
      'web search',
      'reranker',
      'reranking',
      'knowledge base',
      'grounding',
      'citations',
      'multi-hop',
      'question answering',
      'corpus',
      'external knowledge',
      'search',
    ],
  },
  {
    name: 'speech and audio',
    aliases: ['speech', 'audio', 'audio and speech', 'speech processing', 'audio models'],
    description:
      'Models of speech, spoken language, music and sound: speech recognition, speech synthesis, spoken dialogue and audio-language models.',
    strong: [
      'speech',
      'audio',
      'spoken',
      'music',
      'ASR',
      'text-to-speech',
      'TTS',
      'speech recognition',
      'voice',
      'acoustic',
      'sound',
      'speaker',
      'singing',
    ],
    weak: ['waveform', 'spectrogram', 'prosody', 'phoneme', 'transcription', 'listening', 'podcast', 'noise'],
  },
  {
    name: 'code generation',
    aliases: ['code', 'coding', 'program synthesis', 'code LLMs', 'coding agents', 'text-to-SQL'],
    description:
      'Models that write, repair or evolve programs: code generation, program synthesis, text-to-SQL, software engineering and coding agents.',
    strong: [
      'code generation',
      'program synthesis',
      'coding',
      'code',
      'software engineering',
      'SWE-bench',
      'HumanEval',
      'MBPP',
      'LiveCodeBench',
      'text-to-SQL',
      'SQL',
      'program repair',
      'code LLM',
      'programs',
    ],
    weak: [
      'programming',
      'Python',
      'debugging',
      'software',
      'GitHub',
      'repository',
      'unit tests',
      'compiler',
      'execution',
    ],
  },
  {
    name: 'multilingual',
    aliases: ['multilinguality', 'cross-lingual', 'multilingual NLP', 'machine translation', 'languages'],
    description:
      'Language technology across several languages: multilingual models, cross-lingual transfer, machine translation and NLP for languages other than English.',
    strong: [
      'multilingual',
      'cross-lingual',
      'crosslingual',
      'machine translation',
      'translation',
      'low-resource languages',
      'bilingual',
      'code-switching',
      'non-English',
      'languages',
    ],
    weak: [
      'English',
      'Chinese',
      'Arabic',
      'Japanese',
      'Korean',
      'Hindi',
      'Indic',
      'African',
      'Swahili',
      'Vietnamese',
      'Indonesian',
      'German',
      'French',
      'Spanish',
      'Russian',
      'Persian',
      'Turkish',
      'Bengali',
      'language-specific',
      'translated',
    ],
  },
  {
    name: 'LLM agents',
    aliases: ['agents', 'AI agents', 'language agents', 'agentic', 'multi-agent systems', 'LLM-based agents'],
    description:
      'Autonomous language-model agents that plan and act with tools: tool use, web, GUI and computer-use agents, multi-agent systems and agent memory.',
    strong: [
      'agent',
      'agentic',
      'multi-agent',
      'tool use',
      'tool-use',
      'tool calling',
      'function calling',
      'web agent',
      'GUI agent',
      'computer use',
      'computer-use',
      'web navigation',
    ],
    weak: [
      'tools',
      'planning',
      'environment',
      'interactive',
      'memory',
      'workflow',
      'browser',
      'long-horizon',
      'trajectories',
    ],
  },
];
