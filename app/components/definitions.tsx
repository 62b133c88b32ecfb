/** One entry of a definition list (`<dl>`): the term and what it is. */
export function Definition({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  )
}

/** Labelled answers as they were written, line breaks kept. */
export function AnswerList({
  answers,
  className,
}: {
  answers: { label: string; value: string }[]
  className?: string
}) {
  return (
    <dl className={className}>
      {answers.map((answer) => (
        <div key={answer.label}>
          <dt>{answer.label}</dt>
          <dd className="pre-wrap">{answer.value}</dd>
        </div>
      ))}
    </dl>
  )
}
