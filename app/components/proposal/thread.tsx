import type { ReactNode } from 'react'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '@desk/tenant-config'
import { TextField, type ActionFailure } from '~/components/forms'

export type ThreadEntryView = {
  id: string
  kind: 'message' | 'note'
  side: 'city' | 'proposer'
  authorName: string
  body: string
  at: string
  unread: boolean
  attachments: { id: string; name: string; size: number }[]
}

/**
 * The dialogue of one proposal, oldest first. Internal notes (staff only)
 * are marked as such; unread entries carry a visible and spoken marker.
 */
export function Thread({
  entries,
  downloadHref,
  failure,
  allowNotes,
  noteExtras,
}: {
  entries: ThreadEntryView[]
  downloadHref: (attachmentId: string) => string
  /** The action's refusal: the reply's fields by name, the internal note's under `note.`. */
  failure: ActionFailure | undefined
  allowNotes: boolean
  /** Staff controls shown under an internal note (e.g. the know-how mark). */
  noteExtras?: (noteId: string) => ReactNode
}) {
  const { t, i18n } = useTranslation('proposals')
  const errors = failure?.fieldErrors ?? {}
  const when = { format: (date: Date) => formatDateTime(date, i18n.language) }
  return (
    <section aria-labelledby="thread-heading" className="thread">
      <h2 id="thread-heading">{t('thread.heading')}</h2>
      {entries.length === 0 ? <p>{t('thread.empty')}</p> : null}
      <ol className="thread__list">
        {entries.map((entry) => (
          <li
            key={entry.id}
            className={`thread__entry thread__entry--${entry.kind === 'note' ? 'note' : entry.side}`}
          >
            <p className="thread__meta">
              {entry.kind === 'note' ? (
                <strong className="badge badge--note">{t('thread.internalNote')}</strong>
              ) : null}
              {entry.unread ? <strong className="badge">{t('thread.unread')}</strong> : null}{' '}
              {entry.authorName} · {t(`thread.side.${entry.side}`)} ·{' '}
              <time dateTime={entry.at}>{when.format(new Date(entry.at))}</time>
            </p>
            <p className="pre-wrap">{entry.body}</p>
            {entry.attachments.length > 0 ? (
              <ul className="plain-list">
                {entry.attachments.map((file) => (
                  <li key={file.id}>
                    <a href={downloadHref(file.id)} download>
                      {file.name}
                    </a>{' '}
                    ({Math.ceil(file.size / 1024)} KB)
                  </li>
                ))}
              </ul>
            ) : null}
            {entry.kind === 'note' && noteExtras ? noteExtras(entry.id) : null}
          </li>
        ))}
      </ol>

      <Form
        method="post"
        encType="multipart/form-data"
        className="stack"
        aria-labelledby="reply-heading"
        noValidate
      >
        <h3 id="reply-heading">{t('thread.reply')}</h3>
        <input type="hidden" name="intent" value="message" />
        <TextField id="message-body" name="body" label={t('thread.body')} rows={4} error={errors.body} />
        <div className="field">
          <label htmlFor="message-files" className="field__label">
            {t('thread.files')}
          </label>
          {errors.files ? (
            <p id="message-files-error" className="field__error">
              {errors.files}
            </p>
          ) : null}
          <input
            id="message-files"
            name="files"
            type="file"
            multiple
            aria-invalid={errors.files ? true : undefined}
            aria-describedby={errors.files ? 'message-files-error' : undefined}
          />
        </div>
        <button type="submit" className="button button--primary">
          {t('thread.send')}
        </button>
      </Form>
      {allowNotes ? (
        <Form method="post" className="stack" aria-labelledby="note-heading" noValidate>
          <h3 id="note-heading">{t('thread.noteHeading')}</h3>
          <p className="field__hint">{t('thread.noteHint')}</p>
          <input type="hidden" name="intent" value="note" />
          <TextField id="note-body" name="body" label={t('thread.noteBody')} rows={3} error={errors['note.body']} />
          <button type="submit" className="button">
            {t('thread.addNote')}
          </button>
        </Form>
      ) : null}
    </section>
  )
}
