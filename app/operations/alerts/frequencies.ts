/** How often a saved search mails (a module the browser loads too: the alert forms offer these). */
export const ALERT_FREQUENCIES = ['immediate', 'daily'] as const
export type AlertFrequency = (typeof ALERT_FREQUENCIES)[number]
