import type { TransitionInput } from '@desk/workflow'

/**
 * A transition form's fields as the engine's input. Only what the form sent is
 * passed on; the engine checks what the transition requires and names what is
 * missing or malformed (`missing_requirement` with one issue per problem).
 */
export function transitionInputFromForm(form: FormData): TransitionInput {
  const text = (name: string) => {
    const value = form.get(name)
    return typeof value === 'string' && value.trim() !== '' ? value : undefined
  }
  const departments = form.getAll('departments').map(String)
  const grounds = text('decision.grounds')
  const agreementKind = text('agreement.kind')
  return {
    reason: text('reason'),
    note: text('note'),
    collaborationMethod: text('collaborationMethod'),
    departments: departments.length > 0 ? departments : undefined,
    decision: grounds ? { grounds, conditions: text('decision.conditions') } : undefined,
    agreement: agreementKind
      ? {
          kind: agreementKind,
          parties: (text('agreement.parties') ?? '')
            .split('\n')
            .map((party) => party.trim())
            .filter(Boolean),
          concludedOn: text('agreement.concludedOn') ?? '',
          validUntil: text('agreement.validUntil'),
        }
      : undefined,
  }
}
