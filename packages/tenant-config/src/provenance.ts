import type { TenantConfig } from './schema'

/**
 * Provenance of a tenant file's values: which ones the guideline does not
 * state and the platform put in (`platformDefaults`). A path names a value by
 * its keys, joined by dots, and an item of a list by its id — or, for a choice
 * option, its value — in brackets:
 *
 *   earlyAnswerTargetDays · identity.accentColor · forms[proposal].fields[expected_effect]
 *   forms[proposal].fields[sdg_goals].options[13]
 *
 * A path marks everything under it: `forms` marks every form.
 */

type Segment = { key: string; item?: string }

function parsePath(path: string): Segment[] {
  const segments: Segment[] = []
  // Split on dots outside brackets: an item's id or value may itself contain a dot (13.2).
  for (const part of path.match(/[^.[\]]+(\[[^\]]*\])?/g) ?? []) {
    const bracket = part.indexOf('[')
    segments.push(
      bracket < 0 ? { key: part } : { key: part.slice(0, bracket), item: part.slice(bracket + 1, -1) },
    )
  }
  return segments
}

/** The item of `list` a bracket names: its id, or (for a choice option) its value. */
function itemOf(list: unknown[], item: string): unknown {
  return list.find((candidate) => {
    const entry = candidate as { id?: unknown; value?: unknown } | null
    return (
      entry !== null &&
      typeof entry === 'object' &&
      (entry.id === item || (entry.id === undefined && String(entry.value) === item))
    )
  })
}

export type ResolvedPath = { ok: true; value: unknown } | { ok: false; problem: string }

/** The value a provenance path names in the file, or why it names none. */
export function resolveProvenancePath(config: TenantConfig, path: string): ResolvedPath {
  let node: unknown = config
  let walked = ''
  for (const { key, item } of parsePath(path)) {
    node =
      node !== null && typeof node === 'object' && !Array.isArray(node)
        ? (node as Record<string, unknown>)[key]
        : undefined
    walked = walked ? `${walked}.${key}` : key
    if (node === undefined)
      return { ok: false, problem: `"${path}" names no value of the file (${walked} is not set)` }
    if (item === undefined) continue
    if (!Array.isArray(node))
      return { ok: false, problem: `"${path}": ${walked} is not a list, so [${item}] names nothing` }
    node = itemOf(node, item)
    if (node === undefined)
      return { ok: false, problem: `"${path}": ${walked} has no item with the id or value "${item}"` }
    walked = `${walked}[${item}]`
  }
  return { ok: true, value: node }
}

/** Whether the file marks `path` (or a path containing it, e.g. `forms` for a field) as a platform default. */
export function isPlatformDefault(config: Pick<TenantConfig, 'platformDefaults'>, path: string): boolean {
  return config.platformDefaults.some(
    (marked) => marked === path || path.startsWith(`${marked}.`) || path.startsWith(`${marked}[`),
  )
}

/** The path of a form field, as provenance names it: forms[<form id>].fields[<field id>]. */
export function formFieldPath(formId: string, fieldId: string): string {
  return `forms[${formId}].fields[${fieldId}]`
}

type Text = Record<string, string>

/** One value to confirm: its path, and what it is now (a label, a scalar, or the size of a list). */
export type PlatformDefaultEntry = {
  path: string
  /** The item's own label (a field's label, a department's name), when it has one. */
  label: Text | null
  value: string | null
  count: number | null
}

/** Every value the file marks as a platform default, with a short form of what it is now. */
export function platformDefaultEntries(config: TenantConfig): PlatformDefaultEntry[] {
  return config.platformDefaults.map((path) => {
    const resolved = resolveProvenancePath(config, path)
    const value = resolved.ok ? resolved.value : undefined
    const item = value as { label?: Text; name?: Text; title?: Text } | undefined
    const label =
      item && typeof item === 'object' && !Array.isArray(item)
        ? (item.label ?? item.name ?? item.title ?? null)
        : null
    return {
      path,
      label,
      value: value === undefined || (typeof value === 'object' && value !== null) ? null : String(value),
      count: Array.isArray(value) ? value.length : null,
    }
  })
}
