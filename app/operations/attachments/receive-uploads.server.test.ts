import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { echoedValues } from '~/http/form-schemas'
import { createUploadReceiver } from './receive-uploads.server'
import { diskFileStore, uploadDirectory } from '../../../db/file-storage/disk.server'

/**
 * Issue 17, findings 6, 7 and 9 at the receiver: names as people's computers
 * write them upload; a name that claims another type than the content is
 * refused, one without an extension gets its type's; bidirectional and
 * control characters leave the name; bodies past the limits are refused and
 * leave no file behind.
 */

const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 0x20)])
const limits = { allowedMimeTypes: ['application/pdf', 'image/png'], maxBytes: 100_000, maxFiles: 10 }

let dataDir: string
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'desk-receive-'))
})
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

const receiverFor = () =>
  createUploadReceiver({
    files: diskFileStore(dataDir),
    tenantFor: () => '00000000-0000-4000-8000-000000000000',
    limitsFor: (field) => (field === 'documents' ? limits : undefined),
  })

/** A browser-encoded multipart request (undici writes names as browsers do: `"` as %22). */
function formRequest(files: { name: string; bytes: Buffer }[], fields: [string, string][] = []) {
  const form = new FormData()
  for (const [name, value] of fields) form.append(name, value)
  for (const file of files) form.append('documents', new Blob([new Uint8Array(file.bytes)]), file.name)
  return new Request('http://localhost/upload', { method: 'POST', body: form })
}

function rawRequest(body: string | Buffer, boundary = 'b0undary') {
  return new Request('http://localhost/upload', {
    method: 'POST',
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    body: new Uint8Array(Buffer.from(body)),
  })
}

const filesOnDisk = async () => {
  try {
    return await readdir(uploadDirectory(dataDir))
  } catch {
    return []
  }
}

async function refusalOf(promise: Promise<unknown>): Promise<{ status: number; reason: string | null }> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(Response)
  const response = error as Response
  return { status: response.status, reason: response.headers.get('X-Refusal-Reason') }
}

describe('file names people use', () => {
  it('uploads names with =, ;, quotes, spaces and Japanese, keeping them as written', async () => {
    const names = [
      'a=b.pdf',
      'a;b.pdf',
      'he said "hi".pdf',
      "it's (final) v2.pdf",
      '提案書 最終版.pdf',
      'x=1; y=2.pdf',
    ]
    const receiver = receiverFor()
    const form = await receiver.parseForm(formRequest(names.map((name) => ({ name, bytes: pdf }))))
    expect(receiver.refusals()).toEqual([])
    expect(receiver.filesFor('documents').map((file) => file.originalName)).toEqual(names)
    expect(form.getAll('documents')).toHaveLength(names.length)
    expect(await filesOnDisk()).toHaveLength(names.length)
  })
})

describe('names tied to content', () => {
  it.each([['report.html'], ['payload.hta'], ['image.svg'], ['notes.txt'], ['photo.png']])(
    'refuses %s whose content is a PDF, storing nothing, with the extension it should have',
    async (name) => {
      const receiver = receiverFor()
      await receiver.parseForm(
        formRequest([{ name, bytes: Buffer.concat([pdf, Buffer.from('<html><script>alert(1)</script>')]) }]),
      )
      expect(receiver.filesFor('documents')).toEqual([])
      expect(receiver.refusals()).toEqual([
        { field: 'documents', originalName: name, reason: 'wrong_extension', expectedExtension: '.pdf' },
      ])
      expect(await filesOnDisk()).toEqual([])
    },
  )

  it('gives a name without an extension its type’s, and accepts a matching one in any case', async () => {
    const receiver = receiverFor()
    await receiver.parseForm(
      formRequest([
        { name: 'report', bytes: pdf },
        { name: 'REPORT.PDF', bytes: pdf },
      ]),
    )
    expect(receiver.filesFor('documents').map((file) => file.originalName)).toEqual([
      'report.pdf',
      'REPORT.PDF',
    ])
  })

  it('takes bidirectional overrides and control characters out of names', async () => {
    const receiver = receiverFor()
    await receiver.parseForm(
      formRequest([
        { name: 'invoice\u202elmth.pdf', bytes: pdf },
        { name: 'a\u2066b\u2069\u200f\tc.pdf', bytes: pdf },
      ]),
    )
    expect(receiver.filesFor('documents').map((file) => file.originalName)).toEqual([
      'invoicelmth.pdf',
      'abc.pdf',
    ])
    // Displayed as "invoicefdp.html" before: the override that reversed it is gone, the real extension is last.
    const [refused] = await (async () => {
      const other = receiverFor()
      await other.parseForm(formRequest([{ name: 'invoice\u202efdp.html', bytes: pdf }]))
      return other.refusals()
    })()
    expect(refused).toMatchObject({ originalName: 'invoicefdp.html', reason: 'wrong_extension' })
  })
})

describe('bodies past the limits or malformed: refused, nothing left behind', () => {
  it('refuses a NUL character in a text field (400)', async () => {
    const receiver = receiverFor()
    const refusal = await refusalOf(
      receiver.parseForm(formRequest([{ name: 'a.pdf', bytes: pdf }], [['title', 'a\u0000b']])),
    )
    expect(refusal).toEqual({ status: 400, reason: 'nul_character' })
    expect(await filesOnDisk()).toEqual([])
  })

  it('refuses more parts than a form has (413)', async () => {
    const fields = Array.from({ length: 640 }, (_, index) => [`f${index}`, 'x'] as [string, string])
    const refusal = await refusalOf(
      receiverFor().parseForm(formRequest([{ name: 'a.pdf', bytes: pdf }], fields)),
    )
    expect(refusal).toEqual({ status: 413, reason: 'too_many_fields' })
    expect(await filesOnDisk()).toEqual([])
  })

  it('refuses an oversized text field and too much text in all (413)', async () => {
    expect(
      await refusalOf(receiverFor().parseForm(formRequest([], [['title', 'x'.repeat(65 * 1024)]]))),
    ).toEqual({
      status: 413,
      reason: 'field_too_long',
    })
    const many = Array.from(
      { length: 20 },
      (_, index) => [`f${index}`, 'x'.repeat(60 * 1024)] as [string, string],
    )
    expect(await refusalOf(receiverFor().parseForm(formRequest([], many)))).toEqual({
      status: 413,
      reason: 'field_too_long',
    })
  })

  it('answers 400 to malformed bodies, removing a file cut off halfway', async () => {
    const head = '--b0undary\r\nContent-Disposition: form-data; name="documents"; filename="a.pdf"\r\n\r\n'
    for (const request of [
      rawRequest(Buffer.concat([Buffer.from(head), pdf])),
      rawRequest('no boundary here'),
      rawRequest('--b0undary\r\nContent-Disposition: form-data; name="intent"\r\n'),
      new Request('http://localhost/upload', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: 'x',
      }),
      new Request('http://localhost/upload', {
        method: 'POST',
        headers: { 'Content-Type': 'multipart/form-data' },
        body: 'x',
      }),
    ])
      expect((await refusalOf(receiverFor().parseForm(request))).status).toBe(400)
    expect(await filesOnDisk()).toEqual([])
  })
})

describe('a file among the form’s answers', () => {
  it('is a file entry, never text: a refusal gives back the text answers and no trace of the stored file', async () => {
    const receiver = receiverFor()
    const form = await receiver.parseForm(formRequest([{ name: 'a.pdf', bytes: pdf }], [['note', 'メモ']]))
    expect(receiver.filesFor('documents')).toHaveLength(1)
    expect(form.getAll('documents').every((entry) => entry instanceof File)).toBe(true)
    const stored = receiver.filesFor('documents')[0]!.storedName
    expect(echoedValues(form)).toEqual({ note: 'メモ' })
    expect(JSON.stringify(echoedValues(form))).not.toContain(stored)
  })
})
