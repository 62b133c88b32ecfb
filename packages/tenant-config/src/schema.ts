import { laneSchema, localizedTextSchema, roleMatrixSchema, trackSchema } from '@desk/workflow'
import { z } from 'zod'

/**
 * The shape of a tenant file: everything one city declares about its
 * public-private partnership desk. Every object is strict, so a misspelt key
 * is an error rather than a silently ignored setting.
 *
 * Convention: a custom message given to zod here describes what is EXPECTED
 * (e.g. 'a colour written as #RRGGBB'); the loader adds what is wrong.
 * Meaning across fields (references, locales, graphs) is checked after the
 * shape, in cross-references.ts and localization.ts.
 */

export const identifierSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'a lower-case identifier such as "desk_review" (a-z, 0-9, _)')

export const localeCodeSchema = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a locale code such as "ja" or "en"')

const text = localizedTextSchema
const positiveInteger = z.number().int('a whole number').positive('a number greater than 0')
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written as YYYY-MM-DD')
/** A date as precise as its source: YYYY-MM when the guideline gives only the month. */
const isoDateOrMonth = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'a date written as YYYY-MM-DD, or YYYY-MM when only the month is known')
/** A path into the file: keys joined by dots, a list item by its id or value in brackets (see provenance.ts). */
const PROVENANCE_PATH = /^[a-zA-Z]+(\[[A-Za-z0-9_.-]+\])?(\.[a-zA-Z]+(\[[A-Za-z0-9_.-]+\])?)*$/
const mimeType = z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'a MIME type such as "application/pdf"')

/** An entry of a list shown as-is: background items, aims, strengths, fields of activity. */
const labelledItemSchema = z.object({ id: identifierSchema, label: text }).strict()
/** A headed paragraph: desk functions, principles. */
const titledTextSchema = z.object({ id: identifierSchema, title: text, text }).strict()
/** A paragraph with an id, e.g. a note to acknowledge or an offer of the city. */
const textItemSchema = z.object({ id: identifierSchema, text }).strict()

export const organisationKindSchema = z.enum([
  'corporation',
  'university',
  'npo',
  'sole_proprietor',
  'other_group',
  'individual',
])
export type OrganisationKind = z.infer<typeof organisationKindSchema>

export const intakeChannelSchema = z.enum(['portal_form', 'desk_in_person'])

export const identitySchema = z
  .object({
    /** The municipality's name, e.g. the ja and en forms on the portal header. */
    name: text,
    /** Other spellings of the name (kana, romaji, upper case) used in the city's texts. */
    alsoKnownAs: z.array(z.string().min(1, 'a non-empty name')).default([]),
    /** The prefecture the municipality belongs to, for the cross-city filters. */
    prefecture: text.optional(),
    accentColor: z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'a colour written as #RRGGBB, e.g. "#0067C0"'),
    logoText: text,
    /** Prefix of proposal reference codes, e.g. PREFIX-2026-0001. */
    referenceCodePrefix: z.string().regex(/^[A-Z]{2,6}$/, '2 to 6 capital letters, e.g. "ABC"'),
  })
  .strict()

export const guidelineSchema = z
  .object({
    title: text,
    /** As precise as the guideline: 2022-05 for 令和4年5月. */
    issuedOn: isoDateOrMonth,
    revisedOn: isoDateOrMonth.optional(),
    /** How the guideline writes its dates in Japanese: japanese_era for 令和4年5月. */
    calendar: z.enum(['gregorian', 'japanese_era']).default('gregorian'),
    introduction: text.optional(),
  })
  .strict()

export const contactSchema = z
  .object({
    deskName: text,
    parentDepartment: text.optional(),
    postalCode: z.string().regex(/^\d{3}-\d{4}$/, 'a postal code written as 123-4567').optional(),
    address: text.optional(),
    phone: z.string().regex(/^\+?\d[\d-]{5,}$/, 'a phone number of digits and hyphens, e.g. 012-345-6789').optional(),
    email: z.string().email('an e-mail address').optional(),
    url: z.string().url('an absolute URL such as https://example.org/desk').optional(),
    webFormNote: text.optional(),
  })
  .strict()

export const portalSchema = z.object({ name: text, description: text, note: text.optional() }).strict()

export const deskSchema = z
  .object({
    description: text,
    functions: z.array(titledTextSchema).min(1, 'at least one desk function'),
  })
  .strict()

export const backgroundSchema = z
  .object({
    heading: text.optional(),
    paragraphs: z.array(text).default([]),
    items: z.array(labelledItemSchema).default([]),
    summary: text.optional(),
  })
  .strict()

export const purposeSchema = z
  .object({
    text,
    aims: z.array(labelledItemSchema).default([]),
  })
  .strict()

export const beneficiarySchema = z.enum(['citizens', 'businesses', 'city', 'public'])

/** The "three-way good" (三方よし) or synergy statement: who gains what. */
export const sharedValueSchema = z
  .object({
    kind: z.enum(['three_way_good', 'synergy']),
    title: text,
    statement: text,
    items: z
      .array(
        z.object({ id: identifierSchema, beneficiary: beneficiarySchema, title: text, text: text.optional() }).strict(),
      )
      .min(1, 'at least one item'),
  })
  .strict()

export const strengthsSchema = z
  .object({
    city: z.array(labelledItemSchema).default([]),
    businesses: z.array(labelledItemSchema).default([]),
  })
  .strict()

export const principlesSchema = z
  .object({
    heading: text,
    intro: text.optional(),
    items: z.array(titledTextSchema).min(1, 'at least one principle'),
  })
  .strict()

export const definitionSchema = z.object({ id: identifierSchema, term: text, text }).strict()

export const proposalTypeSchema = z
  .object({
    id: identifierSchema,
    label: text,
    description: text,
    /** True when proposals answer an issue the city publishes (theme/issue proposals). */
    answersPublishedTheme: z.boolean(),
    intakeChannels: z.array(intakeChannelSchema).min(1, 'at least one intake channel'),
    /** Id of the form (in `forms`) the proposer fills in. */
    form: identifierSchema,
  })
  .strict()

const fieldBase = {
  id: identifierSchema,
  label: text,
  help: text.optional(),
  required: z.boolean().default(false),
}

/**
 * What a choice stores for an option: a code (`desk_review`, `SDG-13`, `13.2`)
 * or a number (SDG goals 1–17). Stored as given; shown by the option's label.
 */
export const optionValueSchema = z.union([
  z.number().finite('a finite number'),
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a number or a code of letters, digits, "_", "." and "-" such as 13 or "sdg_13"'),
])

const optionSchema = z.object({ value: optionValueSchema, label: text }).strict()

/**
 * One step of a flow as the guideline publishes it: its box or numbered
 * sentence, the lanes it is drawn in, and the operational stages (steps of
 * the flow's tracks) that carry it out, so the two cannot drift apart.
 */
export const guidelineFlowStepSchema = z
  .object({
    id: identifierSchema,
    /** The step's name as the guideline draws it (a box of a flow chart). */
    label: text.optional(),
    /** The step's sentence, where the guideline describes it in words. */
    text: text.optional(),
    /** A note the guideline prints beside the step (※…). */
    note: text.optional(),
    /** The guideline marks the step as not required (必須ではありません). */
    optional: z.boolean().default(false),
    /** The lanes the guideline draws or names the step in; none when it says no one. */
    lanes: z.array(laneSchema).default([]),
    /** Role-matrix phases of the step: who leads it then depends on the collaboration method, as the matrix says. */
    matrixPhases: z.array(identifierSchema).default([]),
    /** Ids of the operational steps (of the flow's tracks) that carry this step out. */
    stages: z.array(identifierSchema).min(1, 'at least one step id of the flow\'s tracks'),
  })
  .strict()

/** A flow the guideline publishes (a figure or a numbered list), shown on the portal as the city's word. */
export const guidelineFlowSchema = z
  .object({
    id: identifierSchema,
    title: text,
    description: text.optional(),
    /** The proposal types the guideline says follow this flow. */
    proposalTypes: z.array(identifierSchema).default([]),
    /** The operational tracks (in `tracks`) that run this flow. */
    tracks: z.array(identifierSchema).min(1, 'at least one track id'),
    /** The lanes of the figure, left to right; none for a flow written as a list. */
    lanes: z.array(laneSchema).default([]),
    steps: z.array(guidelineFlowStepSchema).min(1, 'at least one step'),
    /** Notes the guideline prints under the figure. */
    notes: z.array(text).default([]),
  })
  .strict()

export const formFieldSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ ...fieldBase, type: z.literal('text'), maxLength: positiveInteger }).strict(),
    z.object({ ...fieldBase, type: z.literal('long_text'), maxLength: positiveInteger }).strict(),
    z
      .object({
        ...fieldBase,
        type: z.literal('number'),
        min: z.number().optional(),
        max: z.number().optional(),
        integer: z.boolean().default(false),
        unit: text.optional(),
      })
      .strict(),
    z.object({ ...fieldBase, type: z.literal('date'), min: isoDate.optional(), max: isoDate.optional() }).strict(),
    z.object({ ...fieldBase, type: z.literal('select'), options: z.array(optionSchema).min(1, 'at least one option') }).strict(),
    z
      .object({
        ...fieldBase,
        type: z.literal('multi_select'),
        options: z.array(optionSchema).min(1, 'at least one option'),
        minSelected: z.number().int('a whole number').nonnegative('0 or more').optional(),
        maxSelected: positiveInteger.optional(),
      })
      .strict(),
    z
      .object({
        ...fieldBase,
        type: z.literal('file'),
        accept: z.array(mimeType).min(1, 'at least one accepted MIME type'),
        maxBytes: positiveInteger,
        maxFiles: positiveInteger.default(1),
      })
      .strict(),
  ],
  { errorMap: () => ({ message: 'a field type: text, long_text, number, date, select, multi_select or file' }) },
)
export type FormField = z.infer<typeof formFieldSchema>
export type OptionValue = z.infer<typeof optionValueSchema>
export type FormFieldType = FormField['type']

export const formSchema = z
  .object({
    id: identifierSchema,
    fields: z.array(formFieldSchema).min(1, 'at least one field'),
  })
  .strict()

export const departmentSchema = z
  .object({
    id: identifierSchema,
    name: text,
    /** Set by the platform as a placeholder until the city lists its real departments. */
    provisional: z.boolean().default(false),
  })
  .strict()

export const eligibilityCriterionSchema = z
  .object({
    id: identifierSchema,
    /** As the guideline words it. */
    text,
    /**
     * ground: a case in which proposals are not accepted (「…場合」);
     * requirement: a condition the proposer must meet (「反社会的勢力でないこと」).
     */
    kind: z.enum(['ground', 'requirement']).default('ground'),
    /**
     * The statement the proposer ticks on the proposal form, worded so that
     * ticking it reads right (「…に該当しません」). Without one, a ground is
     * judged by the desk alone and a requirement is confirmed in its own words.
     */
    confirmation: text.optional(),
    /**
     * platform: decided at intake from the organisation kind; intake: decided
     * at intake by the proposer's confirmation; desk: judged by the desk.
     */
    decidedBy: z.enum(['platform', 'intake', 'desk']),
    excludesOrganisationKinds: z.array(organisationKindSchema).optional(),
  })
  .strict()

export const eligibilitySchema = z
  .object({
    intro: text.optional(),
    eligibleOrganisationKinds: z.array(organisationKindSchema).min(1, 'at least one organisation kind'),
    criteria: z.array(eligibilityCriterionSchema).default([]),
  })
  .strict()

export const notesSchema = z
  .object({
    intro: text.optional(),
    items: z.array(textItemSchema).min(1, 'at least one note'),
  })
  .strict()

export const agreementKindSchema = z.object({ id: identifierSchema, label: text, description: text }).strict()

/**
 * The outcome "no agreement" (協定なし), beside the agreement kinds: a decided
 * proposal whose collaboration method names no agreement kind and goes through
 * no public call is carried out without an agreement. `label` is the city's
 * word for it (「協定を伴わない連携」); without this section the platform's
 * default label is shown, marked as the platform's, and the desk is asked to
 * confirm it.
 */
export const noAgreementSchema = z.object({ label: text, description: text.optional() }).strict()

export const collaborationMethodSchema = z
  .object({
    id: identifierSchema,
    label: text,
    description: text,
    /** Id of the agreement kind concluded; omitted when the method concludes no agreement. */
    agreementKind: identifierSchema.optional(),
    /** True when the work goes through a public call, tender or procurement. */
    viaPublicCall: z.boolean().default(false),
  })
  .strict()

/** Texts for the role-matrix symbols ◎ ○ △ —, as the city words its legend. */
export const roleMatrixLegendSchema = z
  .object({ lead: text, active: text, as_needed: text, none: text })
  .strict()

/** How the city names the three lanes of its flow charts. */
export const laneLabelsSchema = z.object({ proposer: text, desk: text, department: text }).strict()

/** What is recorded against a checklist step of an experiment, besides its owner, dates and note. */
export const experimentRecordSchema = z.enum(['permits', 'period', 'attendance', 'report', 'receipt'], {
  errorMap: () => ({ message: 'one of permits, period, attendance, report, receipt' }),
})
export type ExperimentRecord = z.infer<typeof experimentRecordSchema>

/** One step of the experiment track kept as an item of the experiment's checklist (owner: the step's lane). */
export const experimentChecklistItemSchema = z
  .object({
    /** Id of a step of the experiment track. */
    step: identifierSchema,
    records: z.array(experimentRecordSchema).default([]),
  })
  .strict()

export const experimentSupportSchema = z
  .object({
    /** Id of the track that runs demonstration experiments. */
    track: identifierSchema,
    /** The track's steps after the agreement, in order, as the experiment's checklist. */
    checklist: z.array(experimentChecklistItemSchema).min(1, 'at least one checklist step'),
    cityOffers: z.array(textItemSchema).min(1, 'at least one offer of the city'),
    proposerDuties: z.array(textItemSchema).min(1, 'at least one duty of the proposer'),
    costRule: text,
    reportRequirement: text.optional(),
  })
  .strict()

export const otherSchemesSchema = z
  .object({
    intro: text.optional(),
    items: z.array(z.object({ id: identifierSchema, title: text, description: text }).strict()).min(1, 'at least one scheme'),
  })
  .strict()

export const publicationSchema = z
  .object({
    text,
    /** True when implemented collaborations are published unless information must be protected. */
    publishedByDefault: z.boolean(),
  })
  .strict()

export const attachmentsSchema = z
  .object({
    allowedMimeTypes: z.array(mimeType).min(1, 'at least one MIME type'),
    maxBytes: positiveInteger,
  })
  .strict()

/**
 * How long a proposal should wait at one stage (a step of a track the city
 * works on) before the desk is reminded. A number the guideline states is
 * quoted in `statedInGuideline` (the guideline's own words, which must contain
 * the number); any other target is a platform default: shown to the desk as
 * "not from your guideline — confirm", never on the portal as the city's word.
 */
export const stageTargetSchema = z
  .object({
    /** Id of a track. */
    track: identifierSchema,
    /** Id of a step of that track, in the desk's or a department's lane, not terminal. */
    step: identifierSchema,
    days: positiveInteger.max(365, 'at most 365 days'),
    /** The guideline's sentence stating this number of days, quoted as printed. */
    statedInGuideline: z.string().min(1, 'the guideline\'s words, quoted').optional(),
  })
  .strict()

/**
 * A field of activity (分野) as the city names it, and the field of the
 * platform taxonomy (tenants/platform/taxonomy.yaml) it belongs to, so the
 * cross-city pages can find the city's themes and cases. `tenants:check`
 * reports a field left unmapped and refuses an id the taxonomy does not have.
 */
export const fieldOfActivitySchema = z
  .object({ id: identifierSchema, label: text, platformField: identifierSchema.optional() })
  .strict()

export const tenantFileSchema = z
  .object({
    schemaVersion: z.literal(1, { errorMap: () => ({ message: 'schemaVersion: 1' }) }),
    slug: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'a lower-case slug used in URLs, e.g. "sample-city"'),
    locales: z.array(localeCodeSchema).min(1, 'at least one locale'),
    defaultLocale: localeCodeSchema,
    /** Non-default locales whose translations may be left out; the default locale's text is shown instead. */
    fallbackLocales: z.array(localeCodeSchema).default([]),
    identity: identitySchema,
    guideline: guidelineSchema.optional(),
    contact: contactSchema,
    portal: portalSchema.optional(),
    desk: deskSchema,
    background: backgroundSchema.optional(),
    purpose: purposeSchema,
    sharedValue: sharedValueSchema.optional(),
    strengths: strengthsSchema.optional(),
    principles: principlesSchema,
    definitions: z.array(definitionSchema).default([]),
    intakeNote: text.optional(),
    proposalTypes: z.array(proposalTypeSchema).min(1, 'at least one proposal type'),
    forms: z.array(formSchema).min(1, 'at least one form'),
    departments: z.array(departmentSchema).min(1, 'at least one department'),
    eligibility: eligibilitySchema,
    notes: notesSchema.optional(),
    agreementKinds: z.array(agreementKindSchema).default([]),
    noAgreement: noAgreementSchema.optional(),
    collaborationMethods: z.array(collaborationMethodSchema).min(1, 'at least one collaboration method'),
    laneLabels: laneLabelsSchema.optional(),
    /** The flows the guideline publishes; the portal shows these, never the operational tracks. */
    guidelineFlows: z.array(guidelineFlowSchema).default([]),
    tracks: z.array(trackSchema).min(1, 'at least one track'),
    roleMatrix: roleMatrixSchema.optional(),
    roleMatrixLegend: roleMatrixLegendSchema.optional(),
    experimentSupport: experimentSupportSchema.optional(),
    otherSchemes: otherSchemesSchema.optional(),
    publication: publicationSchema,
    earlyAnswerTargetDays: positiveInteger.max(365, 'at most 365 days'),
    /** Per-stage target days: the desk is reminded of proposals waiting longer (see stageTargetSchema). */
    stageTargets: z.array(stageTargetSchema).default([]),
    fieldsOfActivity: z.array(fieldOfActivitySchema).min(1, 'at least one field of activity'),
    attachments: attachmentsSchema,
    closingMessage: text.optional(),
    /**
     * Values the guideline does not state, put in by the platform (a target
     * number of days, an attachment limit, a form field): dotted paths such as
     * earlyAnswerTargetDays or identity.accentColor; an item of a list by its
     * id (or an option by its value) in brackets, e.g.
     * forms[proposal].fields[expected_effect]. The desk is asked to confirm
     * them; the portal never shows them as the city's word.
     */
    platformDefaults: z
      .array(
        z
          .string()
          .regex(
            PROVENANCE_PATH,
            'a dotted path such as identity.accentColor, with list items by id: forms[proposal].fields[expected_effect]',
          ),
      )
      .default([]),
  })
  .strict()

export type TenantConfig = z.infer<typeof tenantFileSchema>
/** The file as written, before defaults are applied. */
export type TenantFileInput = z.input<typeof tenantFileSchema>
export type Identity = TenantConfig['identity']
export type Contact = TenantConfig['contact']
export type ProposalType = TenantConfig['proposalTypes'][number]
export type ProposalForm = TenantConfig['forms'][number]
export type Department = TenantConfig['departments'][number]
export type Eligibility = TenantConfig['eligibility']
export type EligibilityCriterion = Eligibility['criteria'][number]
export type NoteToAcknowledge = NonNullable<TenantConfig['notes']>['items'][number]
export type CollaborationMethod = TenantConfig['collaborationMethods'][number]
export type AgreementKind = TenantConfig['agreementKinds'][number]
export type NoAgreement = NonNullable<TenantConfig['noAgreement']>
export type ExperimentSupport = NonNullable<TenantConfig['experimentSupport']>
export type ExperimentChecklistItem = ExperimentSupport['checklist'][number]
export type OtherScheme = NonNullable<TenantConfig['otherSchemes']>['items'][number]
export type Publication = TenantConfig['publication']
export type FieldOfActivity = TenantConfig['fieldsOfActivity'][number]
export type AttachmentsPolicy = TenantConfig['attachments']
export type GuidelineFlow = TenantConfig['guidelineFlows'][number]
export type GuidelineFlowStep = GuidelineFlow['steps'][number]
export type StageTarget = TenantConfig['stageTargets'][number]
