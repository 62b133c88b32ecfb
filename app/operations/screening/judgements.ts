/** The desk's judgement on one eligibility criterion. Not a server module: the screening form lists them. */
export const judgements = ['pass', 'fail', 'unclear'] as const
export type Judgement = (typeof judgements)[number]

/** The longest note the desk keeps on one criterion (the screening form refuses a longer one at its field). */
export const SCREENING_NOTE_MAX_LENGTH = 2000
