/** A failure that retrying cannot fix (the bot is gone, the model is not configured). */
export class PermanentError extends Error {}
