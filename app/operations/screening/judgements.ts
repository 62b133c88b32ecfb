/** The desk's judgement on one eligibility criterion. Not a server module: the screening form lists them. */
export const judgements = ['pass', 'fail', 'unclear'] as const
export type Judgement = (typeof judgements)[number]
