/** A bad flag or argument of the platform's commands (exit status 2). */
export class UsageError extends Error {}
