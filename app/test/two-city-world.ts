import type { TestDatabase } from '../../db/testing'
import type { TestCity, TestProposer } from '../operations/proposals/testing.server'
import { shareTestWorld } from './operations-world'

/*
 * A two-city world as live module bindings, for the test files whose every test works in it (the after-decision
 * and experiment tests): `shareTwoCityWorld(first, second)` at the top of the file opens the world of those two
 * cities' slugs before the file's tests and drops it after them; the imported bindings (`firstCity as …` names
 * them for the file) are set by then, as an ES module's exports are live. Each test file has its own module
 * instance, hence its own world.
 */
export let db: TestDatabase
export let firstCity: TestCity
export let secondCity: TestCity
export let business: TestProposer
export let rival: TestProposer

export function shareTwoCityWorld(first: string, second: string): void {
  shareTestWorld([first, second], (world) => {
    ;({
      db,
      business,
      rival,
      cities: [firstCity, secondCity],
    } = world)
  })
}
