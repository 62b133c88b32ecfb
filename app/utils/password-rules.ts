/** Password length rules, shared by the forms (hints) and their schemas. */
export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 256
