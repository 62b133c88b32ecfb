import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml'
import { LineCounter, parseDocument } from 'yaml'
import { z } from 'zod'
import { lineOfPathInSource } from './load'
import { describeZodIssue, type TenantFileProblem } from './problems'
import { identifierSchema, type TenantConfig } from './schema'

/**
 * The platform taxonomy: one vocabulary of fields (分野) declared once, in
 * `tenants/platform/taxonomy.yaml`, that every city's own fields of activity
 * map to (fieldsOfActivity[].platformField). It is the platform's word, never
 * a city's: the cross-city pages (/themes, /cases, alerts) filter by it, and a
 * city's own pages keep showing the city's own fields.
 */
export const TAXONOMY_FILE = 'platform/taxonomy.yaml'

/** The platform speaks both languages for every field: no fallback. */
const bilingualLabel = z
  .object({ ja: z.string().min(1, 'a non-empty text'), en: z.string().min(1, 'a non-empty text') })
  .strict()

export const taxonomySchema = z
  .object({
    schemaVersion: z.literal(1, { errorMap: () => ({ message: 'schemaVersion: 1' }) }),
    fields: z
      .array(
        z
          .object({
            id: identifierSchema,
            label: bilingualLabel,
            /** The Sustainable Development Goals (1–17) the field serves, where one fits. */
            sdgs: z.array(z.number().int('a whole number').min(1, 'a goal from 1 to 17').max(17, 'a goal from 1 to 17')).default([]),
          })
          .strict(),
      )
      .min(1, 'at least one field'),
  })
  .strict()
  .superRefine((taxonomy, ctx) => {
    const seen = new Set<string>()
    taxonomy.fields.forEach((field, index) => {
      if (seen.has(field.id)) {
        ctx.addIssue({ code: 'custom', path: ['fields', index, 'id'], message: 'an id no other field uses' })
      }
      seen.add(field.id)
    })
  })

export type Taxonomy = z.infer<typeof taxonomySchema>
export type PlatformField = Taxonomy['fields'][number]

export type TaxonomyLoadResult = { ok: true; taxonomy: Taxonomy } | { ok: false; problems: TenantFileProblem[] }

/** Validates the taxonomy file's text; problems carry file:line like a city file's. */
export function parseTaxonomySource(source: string, file: string): TaxonomyLoadResult {
  let data: unknown
  try {
    data = loadYaml(source, { schema: CORE_SCHEMA })
  } catch {
    const lineCounter = new LineCounter()
    const document = parseDocument(source, { lineCounter, prettyErrors: false })
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        file,
        line: lineCounter.linePos(error.pos[0]).line,
        path: [],
        message: error.message.split('\n')[0] ?? error.code,
        expected: 'valid YAML',
      })),
    }
  }
  const parsed = taxonomySchema.safeParse(data)
  if (parsed.success) return { ok: true, taxonomy: parsed.data }
  return {
    ok: false,
    problems: parsed.error.issues.flatMap((issue) =>
      describeZodIssue(issue, taxonomySchema as unknown as z.ZodTypeAny, data).map((problem) => ({
        file,
        line: lineOfPathInSource(source, problem.path),
        ...problem,
      })),
    ),
  }
}

/** Reads `<tenantsDir>/platform/taxonomy.yaml`. */
export async function loadTaxonomy(tenantsDir: string): Promise<TaxonomyLoadResult> {
  const path = join(tenantsDir, TAXONOMY_FILE)
  return parseTaxonomySource(await readFile(path, 'utf8'), relative(process.cwd(), path))
}

export type FieldMappingReport = {
  /** A platformField that names no field of the taxonomy: an error. */
  errors: TenantFileProblem[]
  /** A field of activity without a platformField: reported, the city's content in it is missed by cross-city filters. */
  unmapped: TenantFileProblem[]
}

/** How a city's fields of activity map to the taxonomy, with each problem's line in the city's file. */
export function checkFieldMapping(config: TenantConfig, source: string, file: string, taxonomy: Taxonomy): FieldMappingReport {
  const known = new Set(taxonomy.fields.map((field) => field.id))
  const report: FieldMappingReport = { errors: [], unmapped: [] }
  const expected = `a field id of ${TAXONOMY_FILE}: ${[...known].join(', ')}`
  config.fieldsOfActivity.forEach((field, index) => {
    if (field.platformField === undefined) {
      const path = ['fieldsOfActivity', index]
      report.unmapped.push({
        file,
        line: lineOfPathInSource(source, path),
        path,
        message: `"${field.id}" is not mapped to the platform taxonomy`,
        expected: `platformField: ${expected}`,
      })
    } else if (!known.has(field.platformField)) {
      const path = ['fieldsOfActivity', index, 'platformField']
      report.errors.push({
        file,
        line: lineOfPathInSource(source, path),
        path,
        message: `"${field.platformField}" is not a field of the platform taxonomy`,
        expected,
      })
    }
  })
  return report
}

/** The platform fields a city's own field ids map to (unmapped and unknown city ids left out), without repeats. */
export function platformFieldsOf(config: Pick<TenantConfig, 'fieldsOfActivity'>, cityFieldIds: readonly string[]): string[] {
  const mapping = new Map(config.fieldsOfActivity.map((field) => [field.id, field.platformField]))
  return [...new Set(cityFieldIds.flatMap((id) => mapping.get(id) ?? []))]
}
