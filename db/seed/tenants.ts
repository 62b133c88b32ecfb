import type postgres from 'postgres'
import type { LoadedTenant } from '@desk/tenant-config'

/**
 * What the database needs from a tenant file: the city's row, its
 * departments, and (for the demo seed) enough of its proposal types, tracks,
 * notes and criteria to make proposals in real states. No city is named here.
 */
export type SeedTenant = {
  slug: string
  configVersion: string
  nameJa: string
  nameEn: string
  referencePrefix: string
  departments: { id: string; nameJa: string; nameEn: string }[]
  /** Each type with the ids of its form's first short and first long text field (where the demo writes its answers). */
  proposalTypes: { id: string; answersPublishedTheme: boolean; titleField?: string; bodyField?: string }[]
  tracks: {
    id: string
    proposalTypes: string[]
    initial: string
    steps: { id: string; terminal: boolean; optional: boolean; outcome?: string | undefined }[]
    transitions: {
      id: string
      from: string | string[]
      to: string
      by: string[]
      requires: string[]
      isEarlyAnswer: boolean
    }[]
  }[]
  noteIds: string[]
  deskCriteria: string[]
  earlyAnswerTargetDays: number
  /** Ids of the city's fields of activity (know-how tags). */
  fieldIds: string[]
  /** A field of activity's platform taxonomy field, where the file maps it. */
  platformFieldOf: Record<string, string>
  /** The city's collaboration methods that conclude an agreement, with the kind they conclude. */
  agreementMethods: { id: string; agreementKind: string }[]
  /** The demonstration-experiment track's checklist steps (in order), offers and duties, where the city has one. */
  experiment?: { track: string; steps: { id: string; lane: string }[]; offerIds: string[]; dutyIds: string[] }
}

export function seedTenantFromConfig(loaded: LoadedTenant): SeedTenant {
  const config = loaded.config
  const ja = (text: Record<string, string>) => text.ja ?? text[config.defaultLocale] ?? ''
  const en = (text: Record<string, string>) => text.en ?? text[config.defaultLocale] ?? ''
  return {
    slug: config.slug,
    configVersion: loaded.contentVersion,
    nameJa: ja(config.identity.name),
    nameEn: en(config.identity.name),
    referencePrefix: config.identity.referenceCodePrefix,
    departments: config.departments.map((d) => ({ id: d.id, nameJa: ja(d.name), nameEn: en(d.name) })),
    proposalTypes: config.proposalTypes.map((p) => {
      const fields = config.forms.find((form) => form.id === p.form)?.fields ?? []
      return {
        id: p.id,
        answersPublishedTheme: p.answersPublishedTheme,
        titleField: fields.find((field) => field.type === 'text')?.id,
        bodyField: fields.find((field) => field.type === 'long_text')?.id,
      }
    }),
    tracks: config.tracks.map((t) => ({
      id: t.id,
      proposalTypes: t.proposalTypes,
      initial: t.initial,
      steps: t.steps.map((s) => ({
        id: s.id,
        terminal: s.terminal,
        optional: s.optional,
        outcome: s.outcome,
      })),
      transitions: t.transitions.map((x) => ({
        id: x.id,
        from: x.from,
        to: x.to,
        by: x.by,
        requires: x.requires,
        isEarlyAnswer: x.isEarlyAnswer,
      })),
    })),
    noteIds: config.notes?.items.map((n) => n.id) ?? [],
    deskCriteria: config.eligibility.criteria.filter((c) => c.decidedBy === 'desk').map((c) => c.id),
    earlyAnswerTargetDays: config.earlyAnswerTargetDays,
    fieldIds: config.fieldsOfActivity.map((f) => f.id),
    platformFieldOf: Object.fromEntries(
      config.fieldsOfActivity.flatMap((f) => (f.platformField ? [[f.id, f.platformField]] : [])),
    ),
    agreementMethods: config.collaborationMethods.flatMap((m) =>
      m.agreementKind && !m.viaPublicCall ? [{ id: m.id, agreementKind: m.agreementKind }] : [],
    ),
    ...(config.experimentSupport
      ? {
          experiment: {
            track: config.experimentSupport.track,
            steps: config.experimentSupport.checklist.map((item) => ({
              id: item.step,
              lane:
                config.tracks
                  .find((track) => track.id === config.experimentSupport?.track)
                  ?.steps.find((step) => step.id === item.step)?.lane ?? 'desk',
            })),
            offerIds: config.experimentSupport.cityOffers.map((offer) => offer.id),
            dutyIds: config.experimentSupport.proposerDuties.map((duty) => duty.id),
          },
        }
      : {}),
  }
}

/**
 * Creates or updates a city's row and its departments from its tenant file
 * (owner connection). Safe on every start: departments are matched by key.
 * `updated_at` comes from the row's default (now()) through EXCLUDED: Citus
 * refuses a non-immutable function in the DO UPDATE SET of a distributed or
 * reference table.
 */
export async function syncTenant(
  ownerSql: postgres.Sql | postgres.TransactionSql,
  tenant: SeedTenant,
): Promise<string> {
  const [row] = await ownerSql<{ id: string }[]>`
    INSERT INTO tenants (slug, config_version, name_ja, name_en, reference_prefix)
    VALUES (${tenant.slug}, ${tenant.configVersion}, ${tenant.nameJa}, ${tenant.nameEn}, ${tenant.referencePrefix})
    ON CONFLICT (slug) DO UPDATE SET
      config_version = EXCLUDED.config_version,
      config_revision = tenants.config_revision + (tenants.config_version IS DISTINCT FROM EXCLUDED.config_version)::int,
      name_ja = EXCLUDED.name_ja, name_en = EXCLUDED.name_en, reference_prefix = EXCLUDED.reference_prefix,
      updated_at = EXCLUDED.updated_at
    RETURNING id`
  const tenantId = row!.id
  for (const department of tenant.departments) {
    await ownerSql`
      INSERT INTO departments (tenant_id, key, name_ja, name_en)
      VALUES (${tenantId}, ${department.id}, ${department.nameJa}, ${department.nameEn})
      ON CONFLICT (tenant_id, key) DO UPDATE SET name_ja = EXCLUDED.name_ja, name_en = EXCLUDED.name_en, updated_at = EXCLUDED.updated_at`
  }
  return tenantId
}

/** A demo proposal's answers, under the ids of its type's form so that the pages show them. */
export function demoAnswers(tenant: SeedTenant, typeId: string, title: string): Record<string, string> {
  const type = tenant.proposalTypes.find((candidate) => candidate.id === typeId)
  return {
    [type?.titleField ?? 'summary']: title,
    [type?.bodyField ?? 'details']: 'デモ用の提案内容です。 / Demo proposal content.',
  }
}
