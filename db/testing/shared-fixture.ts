import { afterAll, beforeAll } from 'vitest'

/**
 * What a test file's tests share, made once before them: `open` makes it (within `timeout`), `take` gives its
 * parts the file's own names, and `close` ends it after the tests — if it was made.
 */
export function shareFixture<Fixture>(
  open: () => Promise<Fixture>,
  take: (fixture: Fixture) => void,
  close: (fixture: Fixture) => Promise<void>,
  timeout?: number,
): void {
  let fixture: Fixture | undefined
  beforeAll(async () => {
    fixture = await open()
    take(fixture)
  }, timeout)
  afterAll(async () => {
    if (fixture !== undefined) await close(fixture)
  })
}
