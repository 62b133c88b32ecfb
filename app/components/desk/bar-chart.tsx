import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { barLayout } from '~/operations/dashboard/dashboard-figures'

export type Bar = { label: string; detail?: string; value: number; display: string }

const LINE = 18
const BAR = 14
/** The share of the width the longest bar takes; the rest keeps room for its value. */
const PLOT = 0.8

/**
 * A horizontal bar chart as one image: the label (and a second, smaller line
 * of detail) above each bar, the value at its end. Drawn in CSS pixels with
 * bar lengths in percent, so the text stays readable on a phone. Screen
 * readers get the title and a description listing every value; the same
 * figures are in the table shown with it.
 */
export function BarChart({ caption, bars }: { caption: string; bars: Bar[] }) {
  const { t } = useTranslation('dashboard')
  const id = useId()
  const rowHeight = (bar: Bar) => LINE * (bar.detail ? 2 : 1) + BAR + 12
  const tops = bars.reduce<number[]>((all, bar, index) => [...all, (all[index] ?? 0) + rowHeight(bar)], [0])
  return (
    <figure className="bar-chart">
      <figcaption>{caption}</figcaption>
      {bars.length === 0 ? (
        <p>{t('charts.empty')}</p>
      ) : (
        <svg
          role="img"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-desc`}
          width="100%"
          height={tops[bars.length]}
        >
          <title id={`${id}-title`}>{caption}</title>
          <desc id={`${id}-desc`}>
            {t('charts.desc', {
              items: bars
                .map((bar) => `${bar.label}${bar.detail ? `（${bar.detail}）` : ''}: ${bar.display}`)
                .join('、'),
            })}
          </desc>
          {barLayout(bars).map((bar, index) => {
            const y = tops[index]!
            const barTop = y + LINE * (bar.detail ? 2 : 1) + 2
            const width = `${(bar.fraction * PLOT * 100).toFixed(2)}%`
            return (
              <g key={`${bar.label}-${index}`} aria-hidden="true">
                <text x={0} y={y + 14} className="bar-chart__text">
                  {bar.label}
                </text>
                {bar.detail ? (
                  <text x={0} y={y + LINE + 14} className="bar-chart__text bar-chart__text--detail">
                    {bar.detail}
                  </text>
                ) : null}
                <rect x={0} y={barTop} width={width} height={BAR} className="bar-chart__bar" />
                <text
                  x={`${(bar.fraction * PLOT * 100 + 1).toFixed(2)}%`}
                  y={barTop + BAR - 2}
                  className="bar-chart__text"
                >
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
