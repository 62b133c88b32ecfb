import { describe, expect, it } from 'vitest'
import { tinyTrack, tinyTrackWith } from './fixtures/tiny'
import {
  forwardNextSteps,
  isTerminal,
  nextSteps,
  outcomeOf,
  reachableFrom,
  sourcesOf,
  statesThatCanEnd,
  stepOf,
  transitionOf,
  transitionsFrom,
} from './track'

const ids = (items: { id: string }[]) => items.map((item) => item.id)

describe('track queries', () => {
  it('normalises from to a list', () => {
    expect(sourcesOf(transitionOf(tinyTrack, 'submit')!)).toEqual(['draft'])
    expect(sourcesOf(transitionOf(tinyTrack, 'withdraw')!)).toEqual(['draft', 'screening', 'signing'])
  })

  it('finds steps and transitions by id, and nothing for unknown ids', () => {
    expect(stepOf(tinyTrack, 'signing')?.produces).toEqual(['agreement'])
    expect(stepOf(tinyTrack, 'nowhere')).toBeUndefined()
    expect(transitionOf(tinyTrack, 'nothing')).toBeUndefined()
  })

  it('tells terminal states and their outcomes', () => {
    expect(isTerminal(tinyTrack, 'done')).toBe(true)
    expect(isTerminal(tinyTrack, 'running')).toBe(false)
    expect(isTerminal(tinyTrack, 'nowhere')).toBe(false)
    expect(outcomeOf(tinyTrack, 'rejected')).toBe('declined')
    expect(outcomeOf(tinyTrack, 'running')).toBeUndefined()
    expect(outcomeOf(tinyTrack, 'nowhere')).toBeUndefined()
  })

  it('lists the transitions from a state and the distinct next steps in declaration order', () => {
    expect(ids(transitionsFrom(tinyTrack, 'screening'))).toEqual([
      'sign',
      'run_without_signing',
      'reject',
      'withdraw',
    ])
    expect(ids(nextSteps(tinyTrack, 'screening'))).toEqual(['signing', 'running', 'rejected', 'withdrawn'])
    // The way forward leaves out the endings in refusal and withdrawal.
    expect(ids(forwardNextSteps(tinyTrack, 'screening'))).toEqual(['signing', 'running'])
    const twoWaysToSigning = tinyTrackWith((input) => {
      input.transitions.push({
        id: 'sign_again',
        label: { en: 'Sign' },
        from: 'screening',
        to: 'signing',
        by: ['desk'],
      })
    })
    expect(ids(nextSteps(twoWaysToSigning, 'screening'))).toEqual([
      'signing',
      'running',
      'rejected',
      'withdrawn',
    ])
    expect(nextSteps(tinyTrack, 'done')).toEqual([])
  })

  it('computes reachability forwards and the states that can still end', () => {
    expect([...reachableFrom(tinyTrack, 'signing')].sort()).toEqual([
      'done',
      'running',
      'signing',
      'withdrawn',
    ])
    expect(statesThatCanEnd(tinyTrack).size).toBe(tinyTrack.steps.length)
    const loop = tinyTrackWith((input) => {
      input.transitions.find((transition) => transition.id === 'finish')!.to = 'signing'
      input.transitions.find((transition) => transition.id === 'withdraw')!.from = ['draft']
    })
    const canEnd = statesThatCanEnd(loop)
    expect(canEnd.has('signing')).toBe(false)
    expect(canEnd.has('running')).toBe(false)
    expect(canEnd.has('screening')).toBe(true)
  })
})
