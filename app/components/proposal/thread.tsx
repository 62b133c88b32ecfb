import type { ReactNode } from 'react'
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '@desk/tenant-config'
import {
  answerTo,
  FileField,
  FormAlert,
  TextField,
  useValidatedForm,
  type ActionFailure,
} from '~/components/forms'
import { useTimesTaken } from '~/components/use-times-taken'
import { MessageSchema, NoteSchema } from '~/http/form-schemas'

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
  /** The action's answer: a refusal is shown at the form it answers (the reply or the internal note, by its intent). */
  failure: ActionFailure | undefined
  allowNotes: boolean
  /** Staff controls shown under an internal note (e.g. the know-how mark). */
  noteExtras?: (noteId: string) => ReactNode
}) {
  const { t, i18n } = useTranslation('proposals')
  const when = { format: (date: Date) => formatDateTime(date, i18n.language) }
  const replyFailure = answerTo(failure, 'message')
  const noteFailure = answerTo(failure, 'note')
  // Sent and taken, a form is drawn anew: empty, its files unchosen.
  const replies = useTimesTaken('message', replyFailure)
  const notes = useTimesTaken('note', noteFailure)
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

      <ReplyForm key={`reply-${replies}`} failure={replyFailure} />
      {allowNotes ? <NoteForm key={`note-${notes}`} failure={noteFailure} /> : null}
    </section>
  )
}

/** The reply to the other side, with files (read by the upload receiver); refused, it comes back with what was written. */
function ReplyForm({ failure }: { failure: ActionFailure | undefined }) {
  const { t } = useTranslation('proposals')
  const { form, errors, values, alert } = useValidatedForm({
    id: 'reply-form',
    schema: MessageSchema,
    failure,
  })
  return (
    <Form
      method="post"
      encType="multipart/form-data"
      className="stack"
      aria-labelledby="reply-heading"
      {...form}
    >
      <h3 id="reply-heading">{t('thread.reply')}</h3>
      <FormAlert
        {...alert}
        labels={{ body: t('thread.body'), files: t('thread.files') }}
        ids={{ body: 'message-body', files: 'message-files' }}
      />
      <input type="hidden" name="intent" value="message" />
      <TextField
        id="message-body"
        name="body"
        label={t('thread.body')}
        rows={4}
        errors={errors}
        values={values}
      />
      <FileField id="message-files" name="files" multiple label={t('thread.files')} errors={errors} />
      <button type="submit" className="button button--primary">
        {t('thread.send')}
      </button>
    </Form>
  )
}

/** The city's internal note (never shown to the proposer). */
function NoteForm({ failure }: { failure: ActionFailure | undefined }) {
  const { t } = useTranslation('proposals')
  const { form, errors, values, alert } = useValidatedForm({ id: 'note-form', schema: NoteSchema, failure })
  return (
    <Form method="post" className="stack" aria-labelledby="note-heading" {...form}>
      <h3 id="note-heading">{t('thread.noteHeading')}</h3>
      <p className="field__hint">{t('thread.noteHint')}</p>
      <FormAlert {...alert} labels={{ body: t('thread.noteBody') }} ids={{ body: 'note-body' }} />
      <input type="hidden" name="intent" value="note" />
      <TextField
        id="note-body"
        name="body"
        label={t('thread.noteBody')}
        rows={3}
        errors={errors}
        values={values}
      />
      <button type="submit" className="button">
        {t('thread.addNote')}
      </button>
    </Form>
  )
}
