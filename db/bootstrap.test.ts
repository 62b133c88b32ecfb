import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runtimePasswordFor } from './bootstrap'

/**
 * The runtime role is the cluster's: every server's start sets its password, so servers on one database
 * must arrive at the same one. Before, a server without DATABASE_RUNTIME_PASSWORD generated its own into
 * its DATA_DIR, and the server started last locked the others' new connections out (28P01, pages 500).
 */
let base: string
const dataDir = (name: string) => path.join(base, name)

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'desk-runtime-password-'))
})
afterAll(() => rm(base, { recursive: true, force: true }))

describe('the runtime role password a start sets', () => {
  const adminUrl = 'postgres://desk_admin:s%40me%2Fsecret@db.example.jp:5432/desk'

  it('is the same for servers given the same DATABASE_URL, whatever their DATA_DIR', async () => {
    const first = await runtimePasswordFor({ DATA_DIR: dataDir('server-1') }, adminUrl)
    const second = await runtimePasswordFor({ DATA_DIR: dataDir('server-2') }, adminUrl)
    // The same cluster reached by another host name or database: still the same owner password.
    const third = await runtimePasswordFor(
      { DATA_DIR: dataDir('server-3') },
      'postgres://desk_admin:s%40me%2Fsecret@10.0.0.5:6432/other',
    )
    expect(second).toBe(first)
    expect(third).toBe(first)
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/)
  })

  it('does not reveal the owner password and differs for another one', async () => {
    const derived = await runtimePasswordFor({ DATA_DIR: dataDir('server-1') }, adminUrl)
    const other = await runtimePasswordFor(
      { DATA_DIR: dataDir('server-1') },
      'postgres://desk_admin:another-secret@db.example.jp:5432/desk',
    )
    expect(derived).not.toContain('secret')
    expect(other).not.toBe(derived)
  })

  it('takes DATABASE_RUNTIME_URL’s password, then DATABASE_RUNTIME_PASSWORD, before deriving one', async () => {
    expect(
      await runtimePasswordFor(
        {
          DATA_DIR: dataDir('server-1'),
          DATABASE_RUNTIME_URL: 'postgres://desk_app:given%21pass@db.example.jp:5432/desk',
          DATABASE_RUNTIME_PASSWORD: 'not-this-one',
        },
        adminUrl,
      ),
    ).toBe('given!pass')
    expect(
      await runtimePasswordFor({ DATA_DIR: dataDir('server-1'), DATABASE_RUNTIME_PASSWORD: 'told-password' }, adminUrl),
    ).toBe('told-password')
  })

  it('without an owner password (trust or peer login) is generated once into DATA_DIR and kept', async () => {
    const passwordless = 'postgres://postgres@127.0.0.1:5432/test'
    const first = await runtimePasswordFor({ DATA_DIR: dataDir('local') }, passwordless)
    expect(await runtimePasswordFor({ DATA_DIR: dataDir('local') }, passwordless)).toBe(first)
    expect((await readFile(path.join(dataDir('local'), 'runtime-db-password'), 'utf8')).trim()).toBe(first)
    expect(await runtimePasswordFor({ DATA_DIR: dataDir('elsewhere') }, passwordless)).not.toBe(first)
  })
})
