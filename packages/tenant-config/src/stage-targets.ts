import type { StageTarget, TenantConfig } from './schema'

/**
 * Per-stage target days (the tenant file's `stageTargets`): how long a
 * proposal should wait at a stage the city works on before the desk is
 * reminded. One definition for the reminder job, the inbox and the dashboard.
 */

const DAY_MS = 86_400_000

/** The target of a track's step, if the city set one. */
export function stageTargetOf(config: Pick<TenantConfig, 'stageTargets'>, track: string, step: string): StageTarget | undefined {
  return config.stageTargets.find((target) => target.track === track && target.step === step)
}

/** A target the guideline does not state: the platform's, to be confirmed by the city, never shown as its word. */
export function isPlatformDefaultTarget(target: StageTarget): boolean {
  return target.statedInGuideline === undefined
}

/** Whole days since the proposal entered its stage (0 on the first day). */
export function daysAtStage(enteredAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - enteredAt.getTime()) / DAY_MS))
}

/** Past the target: more than `days` × 24 hours at the stage (the reminder job's test, migration 0032). */
export function isPastStageTarget(enteredAt: Date, days: number, now: Date): boolean {
  return now.getTime() - enteredAt.getTime() > days * DAY_MS
}
