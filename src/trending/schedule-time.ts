import { Cron } from 'croner';

/** A cron expression in an IANA zone; croner computes the run times, we never let it run jobs. */
export interface CronSchedule {
  /** The latest run at or before `now` (ms since epoch), or undefined. */
  latestRunAtOrBefore(now: number): number | undefined;
  /** The first run strictly after `now`, or undefined when the pattern never fires again. */
  nextRunAfter(now: number): number | undefined;
}

export function createCronSchedule(cron: string, timeZone: string): CronSchedule {
  const pattern = new Cron(cron, { timezone: timeZone, paused: true });
  return {
    latestRunAtOrBefore(now) {
      // previousRuns excludes a run at exactly the reference instant; look one second ahead.
      const [run] = pattern.previousRuns(1, new Date(now + 1000));
      if (run && run.getTime() <= now) return run.getTime();
      const [earlier] = pattern.previousRuns(1, new Date(now));
      return earlier?.getTime();
    },
    nextRunAfter(now) {
      return pattern.nextRun(new Date(now))?.getTime();
    },
  };
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day `YYYY-MM-DD` of an instant in an IANA zone. */
export function localDay(instant: number, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(
    format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** `YYYY-MM-DD` plus `days` (may be negative). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
