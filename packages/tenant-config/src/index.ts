export * from './schema'
export { localize, localizeWithLanguage, type LocaleSettings, type ShownText } from './localization'
export {
  computeContentVersion,
  findClashesWithCities,
  lineOfPathInSource,
  loadTenantDirectory,
  loadTenantFile,
  loadTenantFiles,
  parseTenantSource,
  parseTenantSourceCached,
  type LoadedTenant,
  type LoadOptions,
  type OtherCity,
  type TenantLoadResult,
  type TenantSetResult,
} from './load'
export {
  formatPlan,
  parseStateMapping,
  planTenantChange,
  type FieldChange,
  type ProposalCounts,
  type StateMapping,
  type StateMove,
  type StrandedState,
  type TenantPlan,
  type WorkflowChange,
} from './plan'
export { formatPath, formatProblem, type ConfigProblem, type Path, type TenantFileProblem } from './problems'
export {
  buildProposalFormSchema,
  formIssueMessage,
  readFormIssue,
  uploadedFileSchema,
  type FormIssue,
  type FormIssueLimit,
  type FormMessageKey,
  type ProposalFormRules,
  type UploadedFile,
} from './proposal-form'
export {
  experimentChecklist,
  stepProgress,
  stepRecording,
  type ExperimentChecklistEntry,
  type StepProgress,
} from './experiment-checklist'
export {
  answerViews,
  displayTimeZone,
  formatAnswer,
  formatDate,
  formatDateTime,
  dateFormat,
  formatFileSize,
  formatList,
  formatNumber,
  formatQuantity,
  intlLocale,
  numberFormat,
  tokyoDay,
  tokyoTimestamp,
  type AnswerView,
} from './value-display'
export {
  checkFieldMapping,
  loadTaxonomy,
  parseTaxonomySource,
  platformFieldsOf,
  TAXONOMY_FILE,
  type FieldMappingReport,
  type PlatformField,
  type Taxonomy,
} from './taxonomy'
export { isReservedSlug, RESERVED_SLUGS } from './reserved-slugs'
// The cache itself (node:fs, node:module) is for the CLIs and the server, which import it from
// '@desk/tenant-config/validated-cache': this index is in the browser bundle too.
export type { ValidatedTenantCache } from './validated-cache'
export { ARRANGEMENTS, arrangementOf, hasNoAgreementOutcome, type Arrangement, type MethodArrangement } from './arrangement'
export {
  formFieldPath,
  isPlatformDefault,
  platformDefaultEntries,
  resolveProvenancePath,
  type PlatformDefaultEntry,
} from './provenance'
export { daysAtStage, isPastStageTarget, isPlatformDefaultTarget, stageTargetOf } from './stage-targets'
