import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '~/test/harness'
import { demoProposer } from '~/test/operations-world'
import { cityFormView } from '~/http/city-form'
import { ORPHAN_GRACE_MS, sweepOrphanFiles } from '~/operations/attachments/sweep-orphan-files.server'
import * as newProposal from '~/routes/proposals.new'
import { FILE_STORAGE_KINDS } from '../../db/file-storage/store'
import { storeInspector } from '../../db/file-storage/testing'

/**
 * Issue 20 (files outlive a draft) through the proposal form's action: a file
 * chosen before "save as draft" is an attachment of the draft, taken out when
 * the proposer removes it, and submitted with the draft; a preview and a
 * repeated submission (the same idempotency key) leave no stored file that no
 * row refers to. Counted in storage and in the attachments table, for each
 * file store (FILE_STORAGE=disk and postgres).
 */

const CITY = 'komatsu'
const pdf = (filler: string) => new Blob([new Uint8Array(Buffer.from(`%PDF-1.7\n${filler.repeat(500)}`))])

describe.each(FILE_STORAGE_KINDS)('files of the proposal form (%s store)', (kind) => {
  let h: Harness
  let dataDir: string
  let cookie: string
  let organisationId: string
  let storage: ReturnType<typeof storeInspector>


  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'desk-draft-files-'))
    h = await createHarness({ env: { DATA_DIR: dataDir, FILE_STORAGE: kind } })
    storage = storeInspector(kind, { dataDir, ownerSql: h.db.ownerSql })
    ;({ cookie, organisationId } = await demoProposer(h))
  })
  afterAll(async () => {
    await h?.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  /** The form as the browser posts it: a free proposal with every criterion and note ticked. */
  function proposalForm(options: {
    intent: 'save' | 'preview' | 'submit'
    title: string
    idempotencyKey?: string
    draft?: { id: string; version: number }
    files?: { name: string; body: Blob }[]
    remove?: string[]
  }): FormData {
    const config = h.tenants.get(CITY)!.config
    const view = cityFormView(config, 'ja', 'corporation', [])
    const form = new FormData()
    form.append('intent', options.intent)
    form.append('organisationId', organisationId)
    form.append('idempotencyKey', options.idempotencyKey ?? randomUUID())
    form.append(`${CITY}.proposalType`, 'free')
    if (options.draft) {
      form.append(`${CITY}.draftId`, options.draft.id)
      form.append(`${CITY}.draftVersion`, String(options.draft.version))
    }
    form.append(`${CITY}.title`, options.title)
    form.append(`${CITY}.summary`, '資料を添えて提案します。')
    for (const criterion of view.toConfirm) form.append(`${CITY}.criteria`, criterion.id)
    for (const note of view.notes) form.append(`${CITY}.notes`, note.id)
    for (const id of options.remove ?? []) form.append(`${CITY}.removeFile`, id)
    for (const file of options.files ?? []) form.append(`${CITY}.documents`, file.body, file.name)
    return form
  }

  async function post(form: FormData): Promise<Response> {
    const request = new Request(`http://localhost/proposals/new?city=${CITY}`, {
      method: 'POST',
      headers: { Origin: 'http://localhost', Cookie: cookie },
      body: form,
    })
    try {
      return (await newProposal.action({ request, context: await h.contextFor(cookie), params: {} })) as Response
    } catch (thrown) {
      if (thrown instanceof Response) return thrown
      throw thrown
    }
  }

  const storedOnDisk = () => storage.names()
  const referenced = async () =>
    (await h.db.ownerSql<{ stored_name: string }[]>`SELECT stored_name FROM attachments`)
      .map((row) => row.stored_name)
      .sort()

  async function draftOf(title: string) {
    const [row] = await h.db.ownerSql<{ id: string; version: number; answers: Record<string, unknown> }[]>`
      SELECT id, version, answers FROM proposals WHERE title = ${title}`
    return row!
  }

    it('a preview stores nothing', async () => {
      const before = await storedOnDisk()
      const response = await post(
        proposalForm({ intent: 'preview', title: `preview ${randomUUID()}`, files: [{ name: 'p.pdf', body: pdf('p') }] }),
      )
      expect(response.status).toBe(200)
      expect(await storedOnDisk()).toEqual(before)
      expect(await storedOnDisk()).toEqual(await referenced())
    })

    it('a saved draft keeps its file; a removed one leaves storage; the rest is submitted with it', async () => {
      const title = `draft ${randomUUID()}`
      const saved = await post(
        proposalForm({
          intent: 'save',
          title,
          files: [
            { name: 'keep.pdf', body: pdf('k') },
            { name: 'drop.pdf', body: pdf('d') },
          ],
        }),
      )
      expect(saved.status).toBe(302)
      let draft = await draftOf(title)
      const files = draft.answers.documents as { name: string; attachmentId: string }[]
      expect(files.map((file) => file.name)).toEqual(['keep.pdf', 'drop.pdf'])
      const rows = await h.db.ownerSql<{ id: string; stored_name: string }[]>`
        SELECT id, stored_name FROM attachments WHERE proposal_id = ${draft.id} ORDER BY original_name`
      expect(rows.map((row) => row.id).sort()).toEqual(files.map((file) => file.attachmentId).sort())
      expect(await storedOnDisk()).toEqual(await referenced())

      const dropId = files.find((file) => file.name === 'drop.pdf')!.attachmentId
      const removed = await post(proposalForm({ intent: 'save', title, draft, remove: [dropId] }))
      expect(removed.status).toBe(302)
      draft = await draftOf(title)
      expect((draft.answers.documents as { name: string }[]).map((file) => file.name)).toEqual(['keep.pdf'])
      expect(await storedOnDisk()).toEqual(await referenced())

      // Submitted twice with one rendering's key (a double click): the second is the first's replay.
      const idempotencyKey = randomUUID()
      const submitted = await post(proposalForm({ intent: 'submit', title, draft, idempotencyKey }))
      expect(submitted.status).toBe(302)
      const again = await post(
        proposalForm({ intent: 'submit', title, draft, idempotencyKey, files: [{ name: 'late.pdf', body: pdf('l') }] }),
      )
      expect(again.status).toBe(302)
      expect(again.headers.get('Location')).toBe(submitted.headers.get('Location'))
      const names = await h.db.ownerSql<{ original_name: string }[]>`
        SELECT a.original_name FROM attachments a JOIN proposals p ON p.tenant_id = a.tenant_id AND p.id = a.proposal_id
         WHERE p.id = ${draft.id} AND p.submitted_at IS NOT NULL`
      expect(names.map((row) => row.original_name)).toEqual(['keep.pdf'])
      expect(await storedOnDisk()).toEqual(await referenced())
    })

    it('a repeated submission (double click) links its files once and leaves no copy behind', async () => {
      const title = `double ${randomUUID()}`
      const idempotencyKey = randomUUID()
      const form = () =>
        proposalForm({ intent: 'submit', title, idempotencyKey, files: [{ name: 'twice.pdf', body: pdf('t') }] })
      const [first, second] = await Promise.all([post(form()), post(form())])
      expect([first.status, second.status]).toEqual([302, 302])
      const third = await post(form())
      expect(third.status).toBe(302)
      const rows = await h.db.ownerSql`
        SELECT a.id FROM attachments a JOIN proposals p ON p.tenant_id = a.tenant_id AND p.id = a.proposal_id WHERE p.title = ${title}`
      expect(rows).toHaveLength(1)
      expect(await storedOnDisk()).toEqual(await referenced())
    })

    it('the orphan sweep deletes stored files no row names once past the grace period, and nothing else', async () => {
      // What a crash between storing and committing leaves: one old, one just written.
      const [oldOrphan, freshOrphan] = [randomUUID(), randomUUID()]
      const context = await h.contextFor(cookie)
      const [{ tenantId }] = await h.db.ownerSql<[{ tenantId: string }]>`SELECT id AS "tenantId" FROM tenants WHERE slug = ${CITY}`
      await context.files.write({ tenantId, storedName: oldOrphan }, [Buffer.from('%PDF-1.7 left behind')])
      await context.files.write({ tenantId, storedName: freshOrphan }, [Buffer.from('%PDF-1.7 being written')])
      const longAgo = new Date(Date.now() - ORPHAN_GRACE_MS - 60_000)
      await storage.age(oldOrphan, longAgo)
      // Every referenced file is old too: the sweep must keep them for their rows, not for their age.
      for (const name of await referenced()) await storage.age(name, longAgo)
      const inUse = await referenced()
      expect(inUse.length).toBeGreaterThanOrEqual(2)

      const result = await sweepOrphanFiles(h.db.runtimeDb, { files: context.files })
      expect(result.deleted).toBe(1)
      expect(await storedOnDisk()).toEqual([...inUse, freshOrphan].sort())

      // Past its grace period the fresh one goes too; the referenced ones never.
      await sweepOrphanFiles(h.db.runtimeDb, { files: context.files, now: new Date(Date.now() + 2 * ORPHAN_GRACE_MS) })
      expect(await storedOnDisk()).toEqual(inUse)
    })
})
