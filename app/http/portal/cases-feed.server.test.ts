import { describe, expect, it } from 'vitest'
import type { PublishedCase } from '../../operations/portal/cases.server'
import { casesFeed, casesTable } from './cases-feed.server'
import type { CityPage } from '../portal-page.server'

const page = {
  tenant: { slug: 'city' },
  config: {
    collaborationMethods: [],
    agreementKinds: [],
    fieldsOfActivity: [],
    contact: { deskName: { ja: 'デスク' } },
  },
  locale: 'ja',
  t: (key: string) => key,
  text: (value: { ja?: string } | undefined) => value?.ja ?? '',
  origin: 'https://example.test',
  readPublic: async () => [],
} as unknown as CityPage

// Published at 23:30 UTC on 5 December: the 6th in Japan, the day the case's page shows.
const published: PublishedCase = {
  id: 'c1',
  title: { ja: '事例' },
  summary: { ja: '概要' },
  results: { ja: '成果' },
  partnerName: '株式会社テスト',
  collaborationMethod: null,
  agreementKind: null,
  fields: [],
  startedOn: '2026-04-01',
  endedOn: null,
  publishedAt: '2026-12-05T23:30:00.000Z',
  updatedAt: '2026-12-05T23:45:00.000Z',
}

describe('cases feeds', () => {
  it('carry times in ISO 8601 with Japan’s offset, so the day matches the page', () => {
    const feed = casesFeed(page, [published], '/cases.atom')
    expect(feed.entries[0]).toMatchObject({
      published: '2026-12-06T08:30:00+09:00',
      updated: '2026-12-06T08:45:00+09:00',
    })
    expect(feed.updated).toBe('2026-12-06T08:45:00+09:00')
    const [, row] = casesTable(page, [published])
    expect(row).toContain('2026-12-06T08:30:00+09:00')
  })
})
