/** A page's title and opening sentence. */
export function PageIntro({ title, lead }: { title: string; lead?: string }) {
  return (
    <div className="page-intro">
      <h1>{title}</h1>
      {lead ? <p className="lead">{lead}</p> : null}
    </div>
  )
}
