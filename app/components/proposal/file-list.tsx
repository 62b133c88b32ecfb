import { useTranslation } from 'react-i18next'

/** Files handed in with the proposal, each downloaded as an attachment through an audited route. */
export function FileList({
  files,
  href,
}: {
  files: { id: string; name: string; size: number }[]
  href: (id: string) => string
}) {
  const { t } = useTranslation('proposals')
  if (files.length === 0) return null
  return (
    <section aria-labelledby="files-heading">
      <h2 id="files-heading">{t('detail.files')}</h2>
      <ul className="plain-list">
        {files.map((file) => (
          <li key={file.id}>
            <a href={href(file.id)} download>
              {file.name}
            </a>{' '}
            ({Math.ceil(file.size / 1024)} KB)
          </li>
        ))}
      </ul>
    </section>
  )
}
