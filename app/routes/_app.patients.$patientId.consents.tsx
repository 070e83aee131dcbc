import { parseWithZod } from "@conform-to/zod/v4";
import { Card, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { type ActionData, ConsentCard } from "~/features/consents/components/consent-card";
import { RecordConsent } from "~/features/consents/components/record-consent";
import { consentsOf, markConsentExpired, recordConsent, revokeConsent } from "~/features/consents/consents.server";
import { consentActionSchema } from "~/features/consents/schemas";
import { requirePatient } from "~/features/patients/access.server";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { newId } from "~/utils/ids";
import { shortDate } from "~/kernel/time";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, today, header } = await requirePatient(args, "manage:consents", "consents");
  return {
    today,
    patientName: header.identity.name,
    siteName: header.identity.siteName,
    // A fresh key per form: a double submit finds the consent the first one recorded.
    requestKey: newId(),
    consents: await consentsOf(db, patientId, today),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "manage:consents", null);
  const submission = parseWithZod(await args.request.formData(), { schema: consentActionSchema(today) });
  // A refused form is answered on the form it came from: the new consent's, or one consent's.
  const answer = { intent: String(submission.payload.intent ?? ""), id: String(submission.payload.consentId ?? "") };
  if (submission.status !== "success") return data({ ...answer, reply: submission.reply() }, { status: 400 });
  const siteIds = sites.map((s) => s.id);
  const input = submission.value;
  const result =
    input.intent === "revoke"
      ? await revokeConsent(db, user, patientId, input, siteIds, meta)
      : input.intent === "expire"
        ? await markConsentExpired(db, user, patientId, input, siteIds, meta)
        : await recordConsent(db, user, patientId, input, siteIds, meta);
  if (!result.ok) return data({ ...answer, reply: refusedReply(submission, result) }, { status: result.status });
  const message =
    input.intent === "revoke"
      ? `Consent revoked as of ${shortDate(input.revokedOn)}.`
      : input.intent === "expire"
        ? `Consent marked expired as of ${shortDate(input.expiredOn)}.`
        : `Consent for ${input.recipient} recorded.`;
  return redirectWithToast(`/patients/${patientId}/consents`, message);
}

export default function Consents() {
  const { consents, today, siteName, requestKey, patientName } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData;
  const active = consents.filter((c) => c.state.active).length;
  return (
    <Stack gap="md">
      <Card withBorder>
        <Title order={2} size="h3" mb={4}>
          Part 2 consents
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {patientName}'s written consents to disclose their records (42 CFR § 2.31): {active} active of {consents.length}. Revoked and expired consents stay
          here, marked inactive.
        </Text>
        {consents.length === 0 ? (
          <Text c="dimmed">No consents recorded.</Text>
        ) : (
          <Stack gap="sm">
            {consents.map((c) => (
              <ConsentCard key={`${c.id}-${c.version}`} c={c} today={today} actionData={actionData} />
            ))}
          </Stack>
        )}
      </Card>
      <RecordConsent
        key={consents.length}
        today={today}
        siteName={siteName}
        requestKey={requestKey}
        lastResult={actionData?.intent === "record" ? actionData.reply : undefined}
      />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
