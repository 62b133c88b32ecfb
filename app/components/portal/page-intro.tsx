import { TenantText } from './text-language'
/** A page's title and opening sentence. */
export function PageIntro({ title, lead }: { title: string; lead?: string }) {
  return (
    <div className="page-intro">
      <h1>
        <TenantText>{title}</TenantText>
      </h1>
      {lead ? (
        <p className="lead">
          <TenantText>{lead}</TenantText>
        </p>
      ) : null}
    </div>
  )
}
