import { describe, expect, it } from 'vitest'
import { requirementSchema } from './definition'
import { tinyTrackWith } from './fixtures/tiny'
import { requirementFields, requirementSchemas, requirementsOf, validateRequirements } from './requirements'

const transitionRequiring = (requires: (typeof requirementSchema.options)[number][]) =>
  tinyTrackWith((input) => void (input.transitions[0]!.requires = requires)).transitions[0]!

describe('requirements', () => {
  it('has a schema and an input field for every requirement of the definition', () => {
    expect(Object.keys(requirementSchemas).sort()).toEqual([...requirementSchema.options].sort())
    expect(Object.keys(requirementFields).sort()).toEqual([...requirementSchema.options].sort())
  })

  it('lists what a transition requires, each once, with its field', () => {
    expect(requirementsOf(transitionRequiring(['reason', 'permit_record', 'reason']))).toEqual([
      { requirement: 'reason', field: 'reason' },
      { requirement: 'permit_record', field: 'permitRecord' },
    ])
    expect(requirementsOf(transitionRequiring([]))).toEqual([])
  })

  it('validates each piece by its schema', () => {
    const transition = transitionRequiring([
      'decision',
      'departments',
      'permit_record',
      'report_file',
      'receipt',
      'note',
    ])
    const valid = validateRequirements(transition, {
      decision: { grounds: ' Fits the plan. ' },
      departments: ['parks'],
      permitRecord: {
        kind: 'Road use',
        reference: 'R-1',
        issuedBy: 'Roads office',
        issuedOn: '2026-05-01',
        validUntil: '2026-05-31',
      },
      reportFileId: 'file_1',
      receipt: { receivedOn: '2026-06-01' },
      note: 'ok',
    })
    expect(valid.issues).toEqual([])
    expect(valid.values.decision).toEqual({ grounds: 'Fits the plan.' })

    const invalid = validateRequirements(transition, {
      decision: { grounds: '' },
      departments: ['parks', 'parks'],
      permitRecord: {
        kind: 'Road use',
        reference: 'R-1',
        issuedBy: 'Roads office',
        issuedOn: '2026-05-01',
        validUntil: '2026-04-30',
      },
      reportFileId: '',
      receipt: { receivedOn: '1 June' },
      note: '',
    })
    expect(invalid.issues.map((issue) => issue.message)).toEqual([
      'decision.grounds must not be empty',
      'departments must not list a department twice',
      'permitRecord.validUntil must not end before it is issued',
      'reportFileId must not be empty',
      'receipt.receivedOn must be a date written YYYY-MM-DD',
      'note must not be empty',
    ])
    expect(invalid.values).toEqual({})
  })

  it('rejects unknown keys inside structured pieces, so typos do not pass silently', () => {
    const result = validateRequirements(transitionRequiring(['decision']), {
      decision: { grounds: 'x', ground: 'y' } as never,
    })
    expect(result.issues).toMatchObject([{ requirement: 'decision', path: ['decision'] }])
  })

  it('tells a badly written date from a day that does not exist', () => {
    const receipt = (receivedOn: string) =>
      validateRequirements(transitionRequiring(['receipt']), { receipt: { receivedOn } }).issues
    expect(receipt('2026-13-45')).toMatchObject([
      { message: 'receipt.receivedOn must be a real calendar date' },
    ])
    expect(receipt('2026-02-29')).toMatchObject([
      { message: 'receipt.receivedOn must be a real calendar date' },
    ])
    expect(receipt('2028-02-29')).toEqual([])
  })

  it('counts null as absent', () => {
    const result = validateRequirements(transitionRequiring(['note']), { note: null as never })
    expect(result.issues).toEqual([{ requirement: 'note', path: ['note'], message: 'note is required' }])
  })
})
