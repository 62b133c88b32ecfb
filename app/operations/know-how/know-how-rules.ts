/** The longest lesson title a know-how mark takes (shared by the form and the operation). */
export const KNOW_HOW_TITLE_MAX = 80
