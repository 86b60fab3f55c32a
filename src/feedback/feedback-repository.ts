import type { SqliteDatabase } from '../storage/database.ts';

/** One 👍/👎 on an answer. */
export interface Feedback {
  /** Where the answer was given. */
  platform: 'slack' | 'discord';
  /** Who rated it. */
  userId: string;
  /** 1 for 👍, -1 for 👎. */
  rating: -1 | 1;
  /** The question the answer was for. */
  question: string;
  /** The papers the answer cited. */
  paperIds: string[];
  /** The rated message, e.g. Slack `channel:message_ts`; a user's rating of one message is replaced, not added. */
  messageRef?: string;
  /** When it was recorded (ISO 8601), set by the repository. */
  createdAt?: string;
}

/** Counts of ratings. */
export interface FeedbackSummary {
  /** Ratings of 1. */
  up: number;
  /** Ratings of -1. */
  down: number;
}

/**
 * Feedback on answers, whichever engine stores it (SQLite by default, PostgreSQL with
 * `DATABASE_URL`). One contract suite (`tests/storage/feedback-repository.contract.ts`) runs against both.
 */
export interface FeedbackRepository {
  /**
   * Records a rating. A user's second rating of the same `messageRef` on the same platform
   * replaces the first (rating, question, papers, time) instead of adding a row.
   */
  record(feedback: Feedback, now?: Date): Promise<void>;
  /** Every rating, oldest first. */
  list(): Promise<Feedback[]>;
  /** Counts of 👍 and 👎. */
  summary(): Promise<FeedbackSummary>;
}

/** A row of the `feedback` table (SQLite and PostgreSQL have the same columns). */
export interface FeedbackRow {
  platform: string;
  user_id: string;
  rating: number;
  question: string;
  paper_ids: string;
  message_ref: string | null;
  created_at: string;
}

/** A stored row as `Feedback`; unreadable paper ids become an empty list. */
export function feedbackOfRow(row: FeedbackRow): Feedback {
  let paperIds: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.paper_ids);
    if (Array.isArray(parsed)) paperIds = parsed.filter((id): id is string => typeof id === 'string');
  } catch {
    paperIds = [];
  }
  return {
    platform: row.platform as Feedback['platform'],
    userId: row.user_id,
    rating: Number(row.rating) < 0 ? -1 : 1,
    question: row.question,
    paperIds,
    ...(row.message_ref ? { messageRef: row.message_ref } : {}),
    createdAt: row.created_at,
  };
}

/** Feedback in the embedded database (`feedback` table of `paperbot.db`). */
export class SqliteFeedbackRepository implements FeedbackRepository {
  constructor(private readonly database: SqliteDatabase) {}

  async record(feedback: Feedback, now = new Date()): Promise<void> {
    const createdAt = now.toISOString();
    const paperIds = JSON.stringify(feedback.paperIds);
    const { database } = this;
    database
      .transaction(() => {
        const updated = feedback.messageRef
          ? database
              .prepare(
                `UPDATE feedback SET rating = ?, question = ?, paper_ids = ?, created_at = ?
                 WHERE platform = ? AND user_id = ? AND message_ref = ?`,
              )
              .run(
                feedback.rating,
                feedback.question,
                paperIds,
                createdAt,
                feedback.platform,
                feedback.userId,
                feedback.messageRef,
              ).changes
          : 0;
        if (updated === 0) {
          database
            .prepare(
              `INSERT INTO feedback (platform, user_id, rating, question, paper_ids, message_ref, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              feedback.platform,
              feedback.userId,
              feedback.rating,
              feedback.question,
              paperIds,
              feedback.messageRef ?? null,
              createdAt,
            );
        }
      })
      .immediate();
  }

  async list(): Promise<Feedback[]> {
    return this.database
      .prepare<[], FeedbackRow>('SELECT * FROM feedback ORDER BY id')
      .all()
      .map(feedbackOfRow);
  }

  async summary(): Promise<FeedbackSummary> {
    const row = this.database
      .prepare<[], { up: number | null; down: number | null }>(
        'SELECT SUM(rating = 1) AS up, SUM(rating = -1) AS down FROM feedback',
      )
      .get();
    return { up: row?.up ?? 0, down: row?.down ?? 0 };
  }
}
