import { describe, expect, it } from 'vitest'
import { csvResponse } from './csv'
import { csv } from './portal/feeds'

describe('CSV downloads', () => {
  it('keeps every formula start as text and quotes line breaks', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csv([[`${start}1+1`]])).toBe(`\uFEFF"'${start}1+1"\r\n`)
    expect(csv([['a=b', '1\n2']])).toBe('\uFEFF"a=b","1\n2"\r\n')
  })

  it('answers as a no-store attachment with a safe file name and the byte-order mark first', async () => {
    const response = csvResponse(csv([['受付']]), '受付一覧-2025.csv')
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('Content-Disposition')).toBe(
      `attachment; filename="____-2025.csv"; filename*=UTF-8''${encodeURIComponent('受付一覧-2025.csv')}`,
    )
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(new Uint8Array(await response.arrayBuffer()).slice(0, 3)).toEqual(
      new Uint8Array([0xef, 0xbb, 0xbf]),
    )
  })
})
