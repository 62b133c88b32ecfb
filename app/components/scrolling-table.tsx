/**
 * A table wider than a phone: it scrolls sideways inside its own box. The
 * caption and the column headings are given; the rows are the children.
 */
export function ScrollingTable({
  caption,
  columns,
  children,
}: {
  caption: string
  columns: string[]
  children: React.ReactNode
}) {
  return (
    <div className="table-scroll">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}
