import { useTranslation } from 'react-i18next'
import { formatFileSize } from '@desk/tenant-config'

/** Files handed in with the proposal, each downloaded as an attachment through an audited route. */
export function FileList({
  files,
  href,
  heading,
}: {
  files: { id: string; name: string; size: number }[]
  href: (id: string) => string
  /** Another heading than "files handed in" (a draft's files are not handed in yet). */
  heading?: string
}) {
  const { t, i18n } = useTranslation('proposals')
  if (files.length === 0) return null
  return (
    <section aria-labelledby="files-heading">
      <h2 id="files-heading">{heading ?? t('detail.files')}</h2>
      <ul className="plain-list">
        {files.map((file) => (
          <li key={file.id}>
            <a href={href(file.id)} download>
              {file.name}
            </a>{' '}
            ({formatFileSize(file.size, i18n.language)})
          </li>
        ))}
      </ul>
    </section>
  )
}
