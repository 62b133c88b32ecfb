import { describe, expect, it } from 'vitest'
import { afterDecisionIssues } from './after-decision-issues.server'

describe('the refusals of the pages after the decision, for the field kit', () => {
  it('keeps a form’s key, gives an operation’s after key its namespace, and words an English issue by its field', async () => {
    const word = await afterDecisionIssues()
    expect(word('auth:validation.date', 'dueOn')).toBe('auth:validation.date')
    expect(word('errors.periodUntil', 'validUntil')).toBe('after:errors.periodUntil')
    expect(word('cases.errors.required', 'titleJa')).toBe('after:cases.errors.required')
    expect(word('must not be empty', 'note')).toBe('after:errors.note')
    expect(word('must give the reason for withholding', '3f1c0f4e-0000-4000-8000-000000000000.reason')).toBe(
      'after:errors.reason',
    )
    expect(word('is not a milestone of this proposal', 'milestoneId')).toBe('after:errors.invalid')
  })
})
