/** The longest message or internal note the thread takes (shared by the forms and the operations). */
export const MESSAGE_MAX_LENGTH = 5000
