import type pg from 'pg';
import {
  type Feedback,
  type FeedbackRepository,
  type FeedbackRow,
  type FeedbackSummary,
  feedbackOfRow,
} from '../feedback/feedback-repository.ts';

/** Feedback in PostgreSQL: the same table and rules as `SqliteFeedbackRepository`. */
export class PostgresFeedbackRepository implements FeedbackRepository {
  constructor(private readonly pool: pg.Pool) {}

  async record(feedback: Feedback, now = new Date()): Promise<void> {
    const values = [
      feedback.platform,
      feedback.userId,
      feedback.rating,
      feedback.question,
      JSON.stringify(feedback.paperIds),
      feedback.messageRef ?? null,
      now.toISOString(),
    ];
    // One statement: two replicas recording the same user's clicks cannot both insert.
    await this.pool.query(
      `INSERT INTO feedback (platform, user_id, rating, question, paper_ids, message_ref, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (platform, user_id, message_ref) WHERE message_ref IS NOT NULL DO UPDATE SET
         rating = EXCLUDED.rating, question = EXCLUDED.question, paper_ids = EXCLUDED.paper_ids,
         created_at = EXCLUDED.created_at`,
      values,
    );
  }

  async list(): Promise<Feedback[]> {
    const { rows } = await this.pool.query<FeedbackRow>('SELECT * FROM feedback ORDER BY id');
    return rows.map(feedbackOfRow);
  }

  async summary(): Promise<FeedbackSummary> {
    const { rows } = await this.pool.query<{ up: string; down: string }>(
      'SELECT COUNT(*) FILTER (WHERE rating = 1) AS up, COUNT(*) FILTER (WHERE rating = -1) AS down FROM feedback',
    );
    return { up: Number(rows[0]?.up ?? 0), down: Number(rows[0]?.down ?? 0) };
  }
}
