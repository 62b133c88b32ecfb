/**
 * The early answer a city aims to give (e.g. "cannot go ahead", answered early
 * in the process) is due a number of calendar days after submission. Calendar
 * days are counted in the city's local time: a proposal submitted late in the
 * evening belongs to that day, and the answer is due by the end of the last day.
 */

/** Japan Standard Time, UTC+9, without daylight saving: the platform's cities. */
export const DEFAULT_UTC_OFFSET_MINUTES = 9 * 60

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

export interface EarlyAnswerDue {
  /** The last calendar day, local time, as YYYY-MM-DD. */
  dueOn: string
  /** The last instant of that day. */
  dueAt: Date
  /** True when the answer came, or has not come by `now`, after `dueAt`. */
  overdue: boolean
  /** Calendar days from today (local) to the due day; negative once past. */
  daysRemaining: number
}

export interface EarlyAnswerOptions {
  /** When the early answer was given; an answered proposal is judged by that instant, not by `now`. */
  answeredAt?: Date | null
  utcOffsetMinutes?: number
}

/** Days since the epoch of the local calendar day containing `instant`. */
function localDayNumber(instant: Date, utcOffsetMinutes: number): number {
  return Math.floor((instant.getTime() + utcOffsetMinutes * MINUTE) / DAY)
}

function assertValidDate(date: Date, name: string): void {
  if (Number.isNaN(date.getTime())) throw new RangeError(`${name} is not a valid date`)
}

export function earlyAnswerDue(
  submittedAt: Date,
  targetDays: number,
  now: Date,
  { answeredAt = null, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES }: EarlyAnswerOptions = {},
): EarlyAnswerDue {
  if (!Number.isInteger(targetDays) || targetDays < 0) {
    throw new RangeError(`targetDays must be a whole number of days, 0 or more (got ${targetDays})`)
  }
  assertValidDate(submittedAt, 'submittedAt')
  assertValidDate(now, 'now')
  if (answeredAt) assertValidDate(answeredAt, 'answeredAt')

  const dueDay = localDayNumber(submittedAt, utcOffsetMinutes) + targetDays
  const dueAt = new Date((dueDay + 1) * DAY - utcOffsetMinutes * MINUTE - 1)
  const judgedAt = answeredAt ?? now
  return {
    dueOn: new Date(dueDay * DAY).toISOString().slice(0, 10),
    dueAt,
    overdue: judgedAt.getTime() > dueAt.getTime(),
    daysRemaining: dueDay - localDayNumber(now, utcOffsetMinutes),
  }
}
