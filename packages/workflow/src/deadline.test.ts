import { describe, expect, it } from 'vitest'
import { earlyAnswerDue } from './deadline'

// Instants are written in Japan Standard Time, the default local time.
const jst = (local: string) => new Date(`${local}+09:00`)

describe('earlyAnswerDue', () => {
  it('is due at the end of the local calendar day, target days after submission', () => {
    const due = earlyAnswerDue(jst('2026-04-01T10:00:00'), 14, jst('2026-04-10T09:00:00'))
    expect(due).toEqual({
      dueOn: '2026-04-15',
      dueAt: jst('2026-04-15T23:59:59.999'),
      overdue: false,
      daysRemaining: 5,
    })
  })

  it('counts the local day of a late-evening submission, not the UTC one', () => {
    // 00:30 JST on 1 April is 15:30 UTC on 31 March: the local day is the one that counts
    expect(earlyAnswerDue(jst('2026-03-31T23:30:00'), 1, jst('2026-03-31T23:31:00')).dueOn).toBe('2026-04-01')
    expect(earlyAnswerDue(jst('2026-04-01T00:30:00'), 1, jst('2026-04-01T00:31:00')).dueOn).toBe('2026-04-02')
  })

  it('becomes overdue just after the last instant of the due day', () => {
    const submitted = jst('2026-04-01T10:00:00')
    expect(earlyAnswerDue(submitted, 14, jst('2026-04-15T23:59:59.999')).overdue).toBe(false)
    const late = earlyAnswerDue(submitted, 14, jst('2026-04-16T00:00:00'))
    expect(late.overdue).toBe(true)
    expect(late.daysRemaining).toBe(-1)
  })

  it('judges an answered proposal by when the answer came', () => {
    const submitted = jst('2026-04-01T10:00:00')
    const muchLater = jst('2026-06-01T00:00:00')
    expect(earlyAnswerDue(submitted, 14, muchLater, { answeredAt: jst('2026-04-14T12:00:00') }).overdue).toBe(
      false,
    )
    expect(earlyAnswerDue(submitted, 14, muchLater, { answeredAt: jst('2026-04-17T12:00:00') }).overdue).toBe(
      true,
    )
  })

  it('crosses month and leap-year ends by the calendar', () => {
    expect(earlyAnswerDue(jst('2028-02-20T09:00:00'), 10, jst('2028-02-20T09:00:00')).dueOn).toBe(
      '2028-03-01',
    )
    expect(earlyAnswerDue(jst('2026-12-25T09:00:00'), 10, jst('2026-12-25T09:00:00')).dueOn).toBe(
      '2027-01-04',
    )
  })

  it('takes another fixed offset when asked', () => {
    const due = earlyAnswerDue(new Date('2026-04-01T23:30:00Z'), 0, new Date('2026-04-01T23:30:00Z'), {
      utcOffsetMinutes: 0,
    })
    expect(due.dueAt).toEqual(new Date('2026-04-01T23:59:59.999Z'))
  })

  it('refuses a target that is not a whole number of days, and invalid dates', () => {
    const now = jst('2026-04-01T10:00:00')
    expect(() => earlyAnswerDue(now, -1, now)).toThrow(RangeError)
    expect(() => earlyAnswerDue(now, 1.5, now)).toThrow(
      'targetDays must be a whole number of days, 0 or more (got 1.5)',
    )
    expect(() => earlyAnswerDue(new Date('nonsense'), 14, now)).toThrow('submittedAt is not a valid date')
  })
})
