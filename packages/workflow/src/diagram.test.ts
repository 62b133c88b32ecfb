import { describe, expect, it } from 'vitest'
import type { Track } from './definition'
import { flowDiagram, type FlowDiagram } from './diagram'
import { flowCityExperimentTrack, flowCityFixture } from './fixtures/flow-city'
import { matrixCityFixture } from './fixtures/matrix-city'
import { tinyTrack, tinyTrackWith, unreachableStep } from './fixtures/tiny'

const layout = (diagram: FlowDiagram) =>
  diagram.rows.map((row) => `${row.rank}:${row.steps.map((step) => step.id).join(',')}`)
const edgeOf = (diagram: FlowDiagram, from: string, transitionId: string) =>
  diagram.rows
    .flatMap((row) => row.steps)
    .find((step) => step.id === from)
    ?.edges.find((edge) => edge.transitionId === transitionId)

describe('flowDiagram', () => {
  it('orders steps by their longest distance from the initial step, one step per lane and row', () => {
    const diagram = flowDiagram(tinyTrack)
    expect(layout(diagram)).toEqual([
      '0:draft',
      '1:screening',
      '2:signing',
      '2:rejected',
      '3:running,withdrawn',
      '4:done',
    ])
    expect(diagram).toMatchObject({
      trackId: 'tiny',
      initial: 'draft',
      lanes: ['proposer', 'desk', 'department'],
    })
  })

  it('describes each step and its outgoing edges for the chart and its text equivalent', () => {
    const screening = flowDiagram(tinyTrack).rows[1]!.steps[0]!
    expect(screening).toMatchObject({
      id: 'screening',
      lane: 'desk',
      phase: 'screening',
      optional: false,
      terminal: false,
      reachable: true,
    })
    expect(screening.edges.map((edge) => edge.transitionId)).toEqual([
      'sign',
      'run_without_signing',
      'reject',
      'withdraw',
    ])
    expect(screening.edges[2]).toEqual({
      transitionId: 'reject',
      label: { ja: '不可', en: 'Reject' },
      to: 'rejected',
      direction: 'forward',
      by: ['desk'],
      requires: ['reason'],
      notifiesProposer: true,
      isEarlyAnswer: true,
    })
    expect(screening.edges[0]).toMatchObject({
      methods: ['joint', 'solo'],
      requires: ['collaboration_method', 'agreement'],
    })
    const done = flowDiagram(tinyTrack).rows.at(-1)!.steps[0]!
    expect(done).toMatchObject({ terminal: true, outcome: 'completed', edges: [] })
  })

  it('draws the experiment chart with its optional pre-consultation and loops back', () => {
    const diagram = flowDiagram(flowCityExperimentTrack)
    expect(layout(diagram)).toEqual([
      '0:planning',
      '1:pre_consultation',
      '1:intake',
      '2:dialogue',
      '2:not_accepted',
      '3:review',
      '4:agreement',
      '5:site_coordination',
      '6:permits',
      '7:area_notice',
      // the refusals and the withdrawal come after the last step they can leave
      '8:declined',
      '8:withdrawn',
      '8:experiment',
      '9:report_writing',
      '10:report_receipt',
      '11:report_received',
    ])
    expect(diagram.rows[1]!.steps[0]).toMatchObject({ id: 'pre_consultation', optional: true })
    expect(edgeOf(diagram, 'pre_consultation', 'end_pre_consultation')?.direction).toBe('back')
    expect(edgeOf(diagram, 'review', 'request_more_dialogue')?.direction).toBe('back')
    expect(edgeOf(diagram, 'report_receipt', 'return_report')?.direction).toBe('back')
    expect(edgeOf(diagram, 'review', 'answer_early')).toMatchObject({
      direction: 'forward',
      isEarlyAnswer: true,
    })
  })

  it('keeps unreachable steps, in a last row, and leaves out edges to unknown steps', () => {
    const track = tinyTrackWith((input) => {
      input.steps.push(unreachableStep())
      input.transitions.push({
        id: 'nowhere',
        label: { en: 'x' },
        from: 'running',
        to: 'limbo',
        by: ['desk'],
      })
    })
    const diagram = flowDiagram(track)
    expect(diagram.rows.at(-1)).toMatchObject({ rank: 5, steps: [{ id: 'archived', reachable: false }] })
    expect(edgeOf(diagram, 'running', 'nowhere')).toBeUndefined()
  })

  it('holds its invariants on every fixture track', () => {
    const tracks: Track[] = [...matrixCityFixture.tracks, ...flowCityFixture.tracks]
    for (const track of tracks) {
      const diagram = flowDiagram(track)
      const rankOf = new Map(
        diagram.rows.flatMap((row) => row.steps.map((step) => [step.id, row.rank] as const)),
      )
      expect([...rankOf.keys()].sort()).toEqual(track.steps.map((step) => step.id).sort())
      expect(diagram.rows[0]!.steps.map((step) => step.id)).toEqual([track.initial])
      for (const row of diagram.rows)
        expect(new Set(row.steps.map((step) => step.lane)).size).toBe(row.steps.length)
      for (const step of diagram.rows.flatMap((row) => row.steps)) {
        for (const edge of step.edges) {
          const down = rankOf.get(edge.to)! > rankOf.get(step.id)!
          expect(edge.direction === 'forward', `${track.id}: ${step.id} → ${edge.to}`).toBe(down)
        }
      }
      expect(flowDiagram(track)).toEqual(diagram)
    }
  })
})
