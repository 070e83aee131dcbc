/**
 * A form posted without JavaScript is one document request: Remix runs the route's action and then,
 * in the same request, the page's loaders, which still see the request's cookies from before the
 * action. A loader that checks a session the action has just replaced (two-factor set-up ends the
 * password-only session) would send the person away and lose what the action answered. The action
 * leaves a note on the request's load context (one object per request, shared by the action and
 * the loaders that follow it), and the loader reads it. Nothing outlives the request.
 */
const notes = new WeakMap<object, Map<string, unknown>>();

export function leaveForLoader<T>(context: unknown, key: string, note: T): void {
  if (typeof context !== "object" || context === null) return;
  const forRequest = notes.get(context) ?? new Map<string, unknown>();
  forRequest.set(key, note);
  notes.set(context, forRequest);
}

/** Reads the note once: it is gone afterwards, even if a server ever shared one context. */
export function noteFromAction<T>(context: unknown, key: string): T | undefined {
  if (typeof context !== "object" || context === null) return undefined;
  const forRequest = notes.get(context);
  const note = forRequest?.get(key) as T | undefined;
  forRequest?.delete(key);
  return note;
}
