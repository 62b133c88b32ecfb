import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { barLayout } from '~/operations/dashboard/dashboard-figures'

export type Bar = { label: string; value: number; display: string }

const WIDTH = 600
const ROW = 44
const BAR = 16
const VALUE_ROOM = 90

/**
 * A horizontal bar chart as one image: the label above each bar, the value at
 * its end. Screen readers get the title and a description listing every
 * value; the same figures are in the table shown beside it.
 */
export function BarChart({ caption, bars }: { caption: string; bars: Bar[] }) {
  const { t } = useTranslation('dashboard')
  const id = useId()
  const height = Math.max(ROW, bars.length * ROW)
  const plot = WIDTH - VALUE_ROOM
  return (
    <figure className="bar-chart">
      <figcaption id={`${id}-caption`}>{caption}</figcaption>
      {bars.length === 0 ? (
        <p>{t('charts.empty')}</p>
      ) : (
        <svg
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
          viewBox={`0 0 ${WIDTH} ${height}`}
          preserveAspectRatio="xMinYMin meet"
        >
          <title id={`${id}-title`}>{caption}</title>
          <desc id={`${id}-desc`}>
            {t('charts.desc', { items: bars.map((bar) => `${bar.label}: ${bar.display}`).join('、') })}
          </desc>
          {barLayout(bars).map((bar, index) => {
            const y = index * ROW
            const width = Math.max(bar.value > 0 ? 2 : 0, bar.fraction * plot)
            return (
              <g key={`${bar.label}-${index}`} aria-hidden="true">
                <text x={0} y={y + 15} className="bar-chart__text">
                  {bar.label}
                </text>
                <rect x={0} y={y + 21} width={width} height={BAR} className="bar-chart__bar" />
                <text x={width + 6} y={y + 34} className="bar-chart__text">
                  {bar.display}
                </text>
              </g>
            )
          })}
        </svg>
      )}
    </figure>
  )
}

/** A table as built by figureTables: captioned, with column and row headers. */
export function FigureTableView({
  table,
  downloadHref,
  downloadLabel,
}: {
  table: { id: string; caption: string; head: string[]; rows: string[][] }
  downloadHref: string
  downloadLabel: string
}) {
  return (
    <div>
      <div className="table-scroll">
        <table id={`table-${table.id}`}>
          <caption>{table.caption}</caption>
          <thead>
            <tr>
              {table.head.map((cell) => (
                <th key={cell} scope="col">
                  {cell}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map(([header, ...cells], index) => (
              <tr key={`${header}-${index}`}>
                <th scope="row">{header}</th>
                {cells.map((cell, column) => (
                  <td key={column}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="download-link">
        <a href={downloadHref} download>
          {downloadLabel}
        </a>
      </p>
    </div>
  )
}
