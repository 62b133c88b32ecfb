import { expect } from 'vitest'
import { loadTenantDirectory } from '@desk/tenant-config'
import { createTestDatabase, type TestDatabase } from '../../db/testing'
import { shareFixture } from '../../db/testing/shared-fixture'
import { AppError, type AppErrorCode } from '../operations/app-error'
import type { Harness } from './harness'
import {
  createTestCitiesAndProposers,
  createTestCity,
  createTestProposer,
  type TestCity,
  type TestProposer,
} from '../operations/proposals/testing.server'

type TestWorld<Slugs extends string[]> = {
  db: TestDatabase
  cities: { [K in keyof Slugs]: TestCity }
  business: TestProposer
  rival: TestProposer
}

/**
 * The world most operations tests start from: their own database, every city of tenants/ with its staff, and
 * two unrelated proposing organisations. `cities` are the cities named by `slugs`, in that order. The caller
 * drops `db` after its tests.
 */
export async function openTestWorld<Slugs extends string[]>(...slugs: Slugs): Promise<TestWorld<Slugs>> {
  const db = await createTestDatabase()
  const { cities, business, rival } = await createTestCitiesAndProposers(db.ownerSql)
  const named = slugs.map((slug) => {
    const city = cities[slug]
    if (!city) throw new Error(`no tenant file for ${slug}`)
    return city
  })
  return { db, cities: named as TestWorld<Slugs>['cities'], business, rival }
}

/** openTestWorld's world, shared by a test file's tests: `take` names its parts; its database is dropped after them. */
export function shareTestWorld<Slugs extends string[]>(
  slugs: [...Slugs],
  take: (world: TestWorld<Slugs>) => void,
): void {
  shareFixture(() => openTestWorld(...slugs), take, dropDatabase)
}

const dropDatabase = (world: { db: TestDatabase }) => world.db.drop()

/** Awaits `promise` and asserts it was refused with the AppError `code`; returns the refusal to inspect. */
export async function expectRefusal(promise: Promise<unknown>, code: AppErrorCode): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(AppError)
  expect((error as AppError).code).toBe(code)
  expect((error as AppError).message.length).toBeGreaterThan(0)
  return error as AppError
}

type OneCityWorld = { db: TestDatabase; city: TestCity; business: TestProposer }

/** A smaller world: its own database, one city of tenants/ by its slug with its staff, and one proposer. */
export async function openOneCityWorld(slug: string): Promise<OneCityWorld> {
  const db = await createTestDatabase()
  const { tenants } = await loadTenantDirectory('tenants')
  const loaded = tenants.find((tenant) => tenant.config.slug === slug)
  if (!loaded) throw new Error(`no tenant file for ${slug}`)
  return { db, city: await createTestCity(db.ownerSql, loaded), business: await createTestProposer(db.ownerSql) }
}

/** openOneCityWorld's world, shared by a test file's tests: `take` names its parts; its database is dropped after them. */
export function shareOneCityWorld(slug: string, take: (world: OneCityWorld) => void): void {
  shareFixture(() => openOneCityWorld(slug), take, dropDatabase)
}

/**
 * A demo proposer of the harness's seeded data, as the proposal form's tests use one: their session cookie
 * (signed in through the sign-in page) and their organisation.
 */
export async function demoProposer(
  h: Harness,
  email = 'biz1@example.com',
): Promise<{ cookie: string; organisationId: string }> {
  const [member] = await h.db.ownerSql<{ id: string }[]>`
    SELECT m.organisation_id AS id FROM organisation_members m JOIN users u ON u.id = m.user_id
     WHERE u.email = ${email} LIMIT 1`
  return { cookie: await h.cookieOf(email), organisationId: member!.id }
}
