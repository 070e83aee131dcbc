import type { Submission } from "@conform-to/react";

/** A refused write's messages, put back on the form with what the person typed. */
export function refusedReply(
  submission: Submission<unknown>,
  result: { fieldErrors?: Record<string, string[]>; formError?: string },
  options: { hideFields?: string[] } = {},
) {
  return submission.reply({
    fieldErrors: result.fieldErrors,
    formErrors: result.formError ? [result.formError] : undefined,
    hideFields: options.hideFields,
  });
}

/**
 * A "days" site-setting form (`days`, `version`) parsed by its schema: the values, or what the page
 * shows back on refusal — the text as typed, and the message under the box or above the form.
 */
export function parseDaysSetting<T extends { days: number; version: number }>(
  form: FormData,
  schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
): { ok: true; typed: string; value: T } | { ok: false; typed: string; error?: string; fieldError?: string } {
  const typed = String(form.get("days") ?? "").slice(0, 20);
  const parsed = schema.safeParse({ days: form.get("days") ?? undefined, version: form.get("version") ?? undefined });
  if (parsed.success) return { ok: true, typed, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path[0] === "days";
  return { ok: false, typed, error: field ? undefined : issue?.message, fieldError: field ? issue?.message : undefined };
}
