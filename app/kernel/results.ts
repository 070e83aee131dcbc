/**
 * What a repository's write answers: success with its payload, or a refusal the route can put back
 * on the form (field errors, a form error) with the HTTP status that says why.
 */
export type Refusal = {
  ok: false;
  status: 400 | 404 | 409;
  fieldErrors?: Record<string, string[]>;
  formError?: string;
};

export type WriteResult<T = object> = ({ ok: true } & T) | Refusal;

/** A refusal with one message for the whole form. */
export function refuse(status: Refusal["status"], formError: string): Refusal {
  return { ok: false, status, formError };
}

/** Thrown inside a transaction to roll it back with a message for the person who asked. */
export class Refused extends Error {}

/**
 * `.catch` for a transaction that may throw `Refused`: the refusal becomes a 409 with its message
 * (the write lost a race or broke a rule checked under lock); anything else propagates.
 */
export function refusalAs409(e: unknown): Refusal & { status: 409; formError: string } {
  if (e instanceof Refused) return { ok: false, status: 409, formError: e.message };
  throw e;
}
