import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { parseTenantSource } from './load'
import { formatProblem } from './problems'
import { daysAtStage, isPastStageTarget, isPlatformDefaultTarget, stageTargetOf } from './stage-targets'

const minimal = () => readFile(new URL('./fixtures/minimal.yaml', import.meta.url), 'utf8')
const withTargets = async (lines: string) =>
  (await minimal()).replace('earlyAnswerTargetDays: 30\n', `earlyAnswerTargetDays: 30\nstageTargets:\n${lines}`)

describe('stage targets', () => {
  it('a target quoting the guideline (full-width digits too) is the city\'s; one without a quote is a platform default', async () => {
    const result = parseTenantSource(
      await withTargets(
        '  - { track: partnership, step: intake, days: 14, statedInGuideline: 受付から１４日以内に連絡します }\n' +
          '  - { track: partnership, step: implementation, days: 90 }\n',
      ),
      'stage.yaml',
    )
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([])
    if (!result.ok) return
    const intake = stageTargetOf(result.tenant.config, 'partnership', 'intake')!
    const implementation = stageTargetOf(result.tenant.config, 'partnership', 'implementation')!
    expect(isPlatformDefaultTarget(intake)).toBe(false)
    expect(isPlatformDefaultTarget(implementation)).toBe(true)
    expect(stageTargetOf(result.tenant.config, 'partnership', 'completed')).toBeUndefined()
  })

  it('refuses an unknown track or step and a second target for one step, each with its line', async () => {
    const source = await withTargets(
      '  - { track: nowhere, step: intake, days: 7 }\n' +
        '  - { track: partnership, step: nothing, days: 7 }\n' +
        '  - { track: partnership, step: intake, days: 7 }\n' +
        '  - { track: partnership, step: intake, days: 9 }\n',
    )
    const result = parseTenantSource(source, 'stage.yaml')
    const printed = result.ok ? [] : result.problems.map(formatProblem)
    const lineOf = (text: string) => source.split('\n').findIndex((line) => line.includes(text)) + 1
    expect(printed).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^stage.yaml:${lineOf('track: nowhere')} stageTargets\\[0\\]\\.track: unknown track "nowhere"`)),
        expect.stringMatching(
          new RegExp(`^stage.yaml:${lineOf('step: nothing')} stageTargets\\[1\\]\\.step: unknown step "nothing" of track "partnership"`),
        ),
        expect.stringMatching(new RegExp(`^stage.yaml:${lineOf('days: 9')} stageTargets\\[3\\]\\.step: a second target for "partnership:intake"`)),
      ]),
    )
  })

  it('counts whole days at a stage and is past its target only after days × 24 hours', () => {
    const entered = new Date('2026-01-01T09:00:00Z')
    const at = (hours: number) => new Date(entered.getTime() + hours * 3_600_000)
    expect(daysAtStage(entered, at(23))).toBe(0)
    expect(daysAtStage(entered, at(7 * 24 + 1))).toBe(7)
    expect(isPastStageTarget(entered, 7, at(7 * 24))).toBe(false)
    expect(isPastStageTarget(entered, 7, at(7 * 24 + 1))).toBe(true)
  })
})
