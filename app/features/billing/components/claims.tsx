/**
 * The claims page's sections: export ready charges as a batch, the batches sent (837 and CSV
 * downloads), importing an 835, the remittances received, and the billing provider. Plain forms
 * (they work before the page hydrates); a refused form keeps what was typed.
 */
import { type SubmissionResult, useForm } from "@conform-to/react";
import { Alert, Anchor, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { FormErrors } from "~/components/form-errors";
import { TextField } from "~/components/form-fields";
import { PlainTable } from "~/components/plain-table";
import { formatInstant, shortDate, shortDateOr } from "~/kernel/time";
import { money } from "../rules";

type Reply = SubmissionResult<string[]> | undefined;

/** A wide table scrolls inside its card on a tablet instead of widening the page (focusable, so keyboards can scroll it). */
export function Scroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must take focus (WCAG 2.1.1; axe scrollable-region-focusable)
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: "auto" }}>
      {children}
    </div>
  );
}

export interface ReadyView {
  claimType: string;
  label: string;
  charges: number;
  totalCents: number;
  requestKey: string;
}

export function ExportPanel({
  ready,
  reply,
  skipped,
  done,
}: {
  ready: ReadyView[];
  reply: Reply;
  skipped: { patient: string; reason: string }[];
  /** What the last export sent, when some patients were left out of it (a full export says so in a toast). */
  done?: string;
}) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="export-title">
      <Title order={2} size="h3" id="export-title">
        Export ready charges
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Each export makes one batch of the claim type the payer&apos;s fee schedule names: one claim per patient and coverage, one line per day. A day goes out
        once: exported charges leave the ready list.
      </Text>
      <FormErrors errors={reply?.error?.[""] ?? reply?.error?.claimType} mb="sm" />
      {done ? (
        <Alert color="green" role="status" mb="sm">
          {done}
        </Alert>
      ) : null}
      {skipped.length ? (
        <FormErrors title="Left out of the last export (their charges stay ready)" errors={skipped.map((s) => `${s.patient}: ${s.reason}`)} mb="sm" />
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {ready.map((r) => (
          <Form method="post" key={r.claimType}>
            <input type="hidden" name="intent" value="export" />
            <input type="hidden" name="claimType" value={r.claimType} />
            <input type="hidden" name="requestKey" value={r.requestKey} />
            <Stack gap={4}>
              <Text fw={600}>{r.label}</Text>
              <Text size="sm">
                {r.charges} ready {r.charges === 1 ? "charge" : "charges"}, {money(r.totalCents)}
              </Text>
              <Group>
                <Button type="submit" disabled={r.charges === 0}>
                  {`Export ${r.claimType === "professional" ? "837P" : "837I"} batch`}
                </Button>
              </Group>
            </Stack>
          </Form>
        ))}
      </SimpleGrid>
    </Paper>
  );
}

export interface BatchView {
  id: string;
  claimTypeLabel: string;
  controlNumber: number;
  claims: number;
  lines: number;
  total: string;
  createdAt: string;
  by: string;
}

export function BatchesTable({ batches, timeZone }: { batches: BatchView[]; timeZone: string }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="batches-title">
      <Title order={2} size="h3" id="batches-title" mb="sm">
        Batches sent
      </Title>
      {batches.length === 0 ? (
        <Text c="dimmed">No batch has been exported yet.</Text>
      ) : (
        <Scroll label="Batches sent, scrollable">
          <PlainTable
            label="Batches sent"
            columns={[
              { title: "Control number", right: true },
              { title: "Type" },
              { title: "Claims", right: true },
              { title: "Days", right: true },
              { title: "Total", right: true },
              { title: "Exported" },
              { title: "Download" },
            ]}
            rows={batches.map((b) => ({
              key: b.id,
              cells: [
                b.controlNumber,
                b.claimTypeLabel,
                b.claims,
                b.lines,
                b.total,
                `${formatInstant(b.createdAt, timeZone)} by ${b.by}`,
                <Group gap="xs" key="d">
                  <Anchor href={`/billing/claims/${b.id}/download?format=837`} aria-label={`Download batch ${b.controlNumber} as 837`}>
                    837
                  </Anchor>
                  <Anchor href={`/billing/claims/${b.id}/download?format=csv`} aria-label={`Download batch ${b.controlNumber} as CSV`}>
                    CSV
                  </Anchor>
                </Group>,
              ],
            }))}
          />
        </Scroll>
      )}
    </Paper>
  );
}

export function ImportForm({ requestKey, reply, maxBytes }: { requestKey: string; reply: Reply; maxBytes: string }) {
  const fileError = reply?.error?.file;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="import-title">
      <Title order={2} size="h3" id="import-title">
        Import a remittance (835)
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Each paid or denied line is posted to its day&apos;s charge; lines that match no charge are listed, never dropped. A file whose total does not add up,
        or a payment imported before, is refused. At most {maxBytes}.
      </Text>
      <FormErrors errors={reply?.error?.[""]} mb="sm" />
      <Form method="post" encType="multipart/form-data">
        <input type="hidden" name="intent" value="import" />
        <input type="hidden" name="requestKey" value={requestKey} />
        <Stack gap="xs" align="flex-start">
          <label htmlFor="remittance-file">
            <Text fw={500} size="sm">
              835 file
            </Text>
          </label>
          <input
            id="remittance-file"
            type="file"
            name="file"
            accept=".835,.edi,.txt,.x12"
            required
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? "remittance-file-error" : undefined}
          />
          {fileError ? (
            <Text c="red" size="sm" id="remittance-file-error" role="alert">
              {fileError.join(" ")}
            </Text>
          ) : null}
          <Button type="submit">Import 835</Button>
        </Stack>
      </Form>
    </Paper>
  );
}

export interface RemittanceListView {
  id: string;
  payer: string;
  traceNumber: string;
  paidOn: string | null;
  paid: string;
  lines: number;
  unmatched: number;
}

export function RemittancesTable({ remittances }: { remittances: RemittanceListView[] }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="remittances-title">
      <Title order={2} size="h3" id="remittances-title" mb="sm">
        Remittances received
      </Title>
      {remittances.length === 0 ? (
        <Text c="dimmed">No remittance has been imported yet.</Text>
      ) : (
        <Scroll label="Remittances received, scrollable">
          <PlainTable
            label="Remittances received"
            columns={[
              { title: "Payer" },
              { title: "Trace number" },
              { title: "Paid on" },
              { title: "Paid", right: true },
              { title: "Lines", right: true },
              { title: "Unmatched", right: true },
            ]}
            rows={remittances.map((r) => ({
              key: r.id,
              cells: [
                r.payer,
                <Anchor component={Link} to={`/billing/remittances/${r.id}`} key="t">
                  {r.traceNumber}
                </Anchor>,
                shortDateOr(r.paidOn),
                r.paid,
                r.lines,
                r.unmatched,
              ],
            }))}
          />
        </Scroll>
      )}
    </Paper>
  );
}

export interface ProviderFormValues {
  npi: string;
  taxId: string;
  submitterId: string;
  receiverName: string;
  receiverId: string;
  contactName: string;
  phone: string;
}

export function ProviderForm({ values, version, reply }: { values: ProviderFormValues | null; version: number; reply: Reply }) {
  const [form, fields] = useForm({ lastResult: reply, defaultValue: values ?? undefined, shouldRevalidate: "onInput" });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="provider-title">
      <Title order={2} size="h3" id="provider-title">
        Billing provider
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        What every claim from this site carries: the NPI and tax id of the billing provider, and the ids your clearinghouse gave you. The address is the
        site&apos;s.
      </Text>
      <FormErrors errors={form.errors} mb="sm" />
      <Form method="post" id={form.id} onSubmit={form.onSubmit} noValidate>
        <input type="hidden" name="intent" value="provider" />
        <input type="hidden" name="version" value={version} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextField field={fields.npi} label="NPI" required inputMode="numeric" />
          <TextField field={fields.taxId} label="Tax id (EIN)" required />
          <TextField field={fields.submitterId} label="Submitter id" required />
          <TextField field={fields.receiverName} label="Clearinghouse name" required />
          <TextField field={fields.receiverId} label="Clearinghouse receiver id" required />
          <TextField field={fields.contactName} label="Billing contact" required />
          <TextField field={fields.phone} label="Billing phone" required />
        </SimpleGrid>
        <Button type="submit" mt="sm">
          Save billing provider
        </Button>
      </Form>
    </Paper>
  );
}

export interface RemittanceLineView {
  id: string;
  matched: boolean;
  patient: string | null;
  claimControl: string;
  serviceDate: string | null;
  code: string;
  charged: string;
  paid: string;
  outcome: string;
  reasons: string[];
}

const OUTCOME_WORDS: Record<string, string> = { paid: "Paid", adjusted: "Paid less than billed", denied: "Denied" };

export function RemittanceLines({ lines }: { lines: RemittanceLineView[] }) {
  const unmatched = lines.filter((l) => !l.matched);
  const table = (label: string, rows: RemittanceLineView[]) => (
    <Scroll label={`${label}, scrollable`}>
      <PlainTable
        label={label}
        columns={[
          { title: "Claim" },
          { title: "Patient" },
          { title: "Service date" },
          { title: "Code" },
          { title: "Billed", right: true },
          { title: "Paid", right: true },
          { title: "Outcome" },
          { title: "Reasons" },
        ]}
        rows={rows.map((l) => ({
          key: l.id,
          cells: [
            l.claimControl,
            l.patient ?? "—",
            l.serviceDate ? shortDate(l.serviceDate) : "—",
            l.code || "—",
            l.charged,
            l.paid,
            OUTCOME_WORDS[l.outcome] ?? l.outcome,
            l.reasons.length ? l.reasons.join("; ") : "—",
          ],
        }))}
      />
    </Scroll>
  );
  return (
    <Stack gap="md">
      {unmatched.length ? (
        <Paper withBorder p="md" component="section" aria-labelledby="unmatched-title">
          <Title order={2} size="h3" id="unmatched-title" mb="xs">
            Lines that matched no charge ({unmatched.length})
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            Kept as the payer sent them: check the claim number and the day, and post them by hand if they are ours.
          </Text>
          {table("Lines that matched no charge", unmatched)}
        </Paper>
      ) : null}
      <Paper withBorder p="md" component="section" aria-labelledby="matched-title">
        <Title order={2} size="h3" id="matched-title" mb="sm">
          Posted to charges ({lines.length - unmatched.length})
        </Title>
        {table(
          "Posted to charges",
          lines.filter((l) => l.matched),
        )}
      </Paper>
    </Stack>
  );
}
