import { describe, expect, it } from 'vitest'
import { tinyRoleMatrix } from '../../../packages/workflow/src/fixtures/tiny'
import { formatDate, megabytes, referenceCodeExample, roleMatrixView, type Localize } from './views'

const english: Localize = (text) => (text ? (text.en ?? text.ja ?? '') : '')

describe('roleMatrixView', () => {
  it('groups the phases a method lists, in phase order, with symbols and legend texts', () => {
    const view = roleMatrixView(tinyRoleMatrix, {
      methodLabel: (id) => `method:${id}`,
      partyLabel: (party) => party,
      legendLabel: (level) => `legend:${level}`,
      text: english,
    })
    const tender = view.methods.find((method) => method.id === 'tender')
    // The tender method has no signing phase in the table.
    expect(tender?.phases.map((phase) => phase.label)).toEqual(['Screening', 'Running'])
    const signing = view.methods.find((method) => method.id === 'solo')?.phases.find((phase) => phase.id === 'signing')
    expect(signing?.involvement.desk).toEqual({ level: 'as_needed', symbol: '△', label: 'legend:as_needed' })
    expect(signing?.involvement.department?.symbol).toBe('◎')
    expect(view.legend.map((entry) => entry.symbol)).toEqual(['◎', '○', '△', '—'])
  })
})

describe('small formatters', () => {
  it('formats dates in the visitor language', () => {
    expect(formatDate('2025-09-01', 'ja')).toBe('2025年9月1日')
    expect(formatDate('2025-09-01', 'en')).toBe('1 September 2025')
  })

  it('shows sizes in whole megabytes and reference codes by prefix', () => {
    expect(megabytes(10_485_760)).toBe(10)
    expect(megabytes(1000)).toBe(1)
    expect(referenceCodeExample('ABC', 2026)).toBe('ABC-2026-0001')
  })
})
