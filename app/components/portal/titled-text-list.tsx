import type { TitledTextView } from '~/utils/portal/views'
import { TenantText } from './text-language'

/** Headed paragraphs — desk functions, principles, the shared-value items — as cards or a numbered list. */
export function TitledTextList({
  items,
  headingLevel,
  variant,
}: {
  items: TitledTextView[]
  headingLevel: 2 | 3
  variant: 'cards' | 'numbered'
}) {
  const Heading = `h${headingLevel}` as const
  const List = variant === 'numbered' ? 'ol' : 'ul'
  return (
    <List className={variant === 'numbered' ? 'numbered-list' : 'card-list'}>
      {items.map((item) => (
        <li key={item.id} className={variant === 'cards' ? 'card' : undefined}>
          <Heading className="card__title">
            <TenantText>{item.title}</TenantText>
          </Heading>
          {item.text ? (
            <p>
              <TenantText>{item.text}</TenantText>
            </p>
          ) : null}
        </li>
      ))}
    </List>
  )
}
