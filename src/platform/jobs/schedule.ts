import cronParser from 'cron-parser'

/**
 * A slot that nobody sent within this long of its time is skipped (the next one comes). An hour lets
 * a node that starts at 02:40 still run the 02:00 job; it stays well inside the 12 hours pg-boss
 * keeps a sent job, so a slot's fixed id always finds the first send.
 */
export const catchUpMs = 3_600_000

/** Throws a readable error for a schedule cron cannot read (at start-up, not at 2 a.m.). */
export function checkSchedule(schedule: string, timezone: string) {
  cronParser.parseExpression(schedule, { tz: timezone })
}

/** The latest time the schedule fired at or before `now`, if that is recent enough to run. */
export function dueSlot(schedule: string, timezone: string, now: Date): Date | undefined {
  // prev() is strictly before currentDate: a millisecond on, so a tick on the dot finds its own slot.
  const slot = cronParser
    .parseExpression(schedule, { tz: timezone, currentDate: new Date(now.getTime() + 1) })
    .prev()
    .toDate()
  return now.getTime() - slot.getTime() <= catchUpMs ? slot : undefined
}

/** When the schedule next fires after `now`. */
export function nextRun(schedule: string, timezone: string, now: Date): Date {
  return cronParser.parseExpression(schedule, { tz: timezone, currentDate: now }).next().toDate()
}
