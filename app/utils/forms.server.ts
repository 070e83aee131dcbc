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
