import { parseWithZod } from "@conform-to/zod/v4";
import { Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { DiscloseForm } from "~/features/consents/components/disclose-form";
import { ActiveConsents, DisclosureList } from "~/features/consents/components/disclosure-tables";
import { consentsOf } from "~/features/consents/consents.server";
import { discloseRecords, disclosuresOf } from "~/features/consents/disclosures.server";
import { INFORMATION, listLabels, PURPOSES } from "~/features/consents/rules";
import { disclosureSchema } from "~/features/consents/schemas";
import { requirePatient } from "~/features/patients/access.server";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { newId } from "~/utils/ids";
import { addDays } from "~/kernel/time";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, today, header } = await requirePatient(args, "disclose:records", "disclosures");
  const [consents, disclosures] = await Promise.all([consentsOf(db, patientId, today), disclosuresOf(db, patientId)]);
  return {
    patientId,
    today,
    patientName: header.identity.name,
    requestKey: newId(),
    // The records start, by default, at this episode's admission (at most a year back).
    recordsFrom: [header.clinical.admittedOn ?? today, addDays(today, -365)].sort().pop()!,
    active: consents
      .filter((c) => c.state.active)
      .map((c) => ({
        id: c.id,
        recipient: c.recipient,
        general: c.recipientDesignation === "general",
        purposes: listLabels(PURPOSES, c.purposes),
        information: listLabels(INFORMATION, c.information),
        signedOn: c.signedOn,
      })),
    disclosures,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "disclose:records", null);
  const submission = parseWithZod(await args.request.formData(), { schema: disclosureSchema(today) });
  if (submission.status !== "success") return data({ reply: submission.reply() }, { status: 400 });
  const siteIds = sites.map((s) => s.id);
  const result = await discloseRecords(db, user, patientId, submission.value, siteIds, meta);
  if (!result.ok) return data({ reply: refusedReply(submission, result) }, { status: result.status });
  return redirectWithToast(`/disclosures/${result.id}`, `Disclosure to ${submission.value.recipient} recorded. Print it or save it as PDF.`);
}

export default function Disclosures() {
  const { patientId, today, requestKey, recordsFrom, active, disclosures, patientName } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const recipients = [...new Set(active.filter((c) => !c.general).map((c) => c.recipient))];
  return (
    <Stack gap="md">
      <ActiveConsents patientId={patientId} patientName={patientName} active={active} />
      <DiscloseForm
        key={disclosures.length}
        today={today}
        requestKey={requestKey}
        recordsFrom={recordsFrom}
        recipients={recipients}
        lastResult={actionData?.reply}
      />
      <DisclosureList patientId={patientId} disclosures={disclosures} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
