/**
 * Rooms and tracks are edited the same way: save the record under its version, or retire or
 * restore it; each answer goes back to the record's page with a toast. Only the fields differ.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import type { z } from "zod";
import type { Authorized } from "~/features/auth/guard.server";
import { redirectWithToast } from "~/kernel/http.server";
import type { WriteResult } from "~/kernel/results";
import { refusedReply } from "~/utils/forms.server";
import { setActive } from "./program.server";
import type { SetActiveSchema } from "./schemas";

type SetActive = z.infer<typeof SetActiveSchema>;

const isSetActive = (v: { intent: string }): v is SetActive => v.intent === "deactivate" || v.intent === "reactivate";

/**
 * Parses one of a room's or track's forms (`schema`: the record's update form and SetActiveSchema,
 * told apart by `intent`) and applies it. Refusals come back as `{ intent, reply }` for the form
 * that was sent: "update" or "active".
 */
export async function saveProgramItem<U extends { intent: "update" }>(
  auth: Pick<Authorized, "db" | "user" | "sites" | "meta">,
  table: "rooms" | "tracks",
  id: string,
  formData: FormData,
  schema: z.ZodType<U | SetActive>,
  update: (value: U) => Promise<WriteResult>,
) {
  const noun = table === "rooms" ? "Room" : "Track";
  const submission = parseWithZod(formData, { schema });
  const intent: "active" | "update" = isSetActive({ intent: String(submission.payload.intent) }) ? "active" : "update";
  if (submission.status !== "success") return data({ intent, reply: submission.reply() }, { status: 400 });
  const v = submission.value;
  const siteIds = auth.sites.map((s) => s.id);
  const result = isSetActive(v)
    ? await setActive(auth.db, auth.user, table, id, v.intent === "reactivate", v.version, siteIds, auth.meta)
    : await update(v as U);
  if (!result.ok) return data({ intent, reply: refusedReply(submission, result) }, { status: result.status });
  const done = isSetActive(v) ? (v.intent === "reactivate" ? "restored" : "retired") : "saved";
  return redirectWithToast(`/admin/program/${table}/${id}`, `${noun} ${done}.`);
}
