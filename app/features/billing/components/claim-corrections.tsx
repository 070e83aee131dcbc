/**
 * Exported claims and their corrections: the claims list on the claims page (each with "Needs
 * correction" and what differs, in words), and one claim's page with its lines and the two
 * corrections a biller can send — a replacement (frequency 7) or a void (8). Plain forms, so they
 * work before the page hydrates; a refusal is shown above the buttons.
 */
import { Alert, Anchor, Badge, Button, Group, List, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Form, Link } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { PlainTable } from "~/components/plain-table";
import { formatInstant, shortDate } from "~/kernel/time";
import { Scroll } from "./claims";

export interface ClaimListView {
  id: string;
  control: string;
  batch: number;
  kind: string;
  status: string;
  patient: string;
  payer: string;
  total: string;
  createdAt: string;
  needsCorrection: boolean;
  differences: string[];
}

function Differences({ items }: { items: string[] }) {
  return (
    <List size="sm" spacing={2}>
      {items.map((d) => (
        <List.Item key={d}>{d}</List.Item>
      ))}
    </List>
  );
}

export function ClaimsTable({ claims, timeZone }: { claims: ClaimListView[]; timeZone: string }) {
  const needing = claims.filter((c) => c.needsCorrection).length;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="claims-title">
      <Title order={2} size="h3" id="claims-title">
        Claims sent
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        The 50 most recent claims. When a roll-call correction, a note or a coverage change would bill a claimed day differently, the claim needs correction:
        open it to send a replacement or a void.
        {needing ? ` ${needing} ${needing === 1 ? "claim needs" : "claims need"} correction.` : ""}
      </Text>
      {claims.length === 0 ? (
        <Text c="dimmed">No claim has been sent yet.</Text>
      ) : (
        <Scroll label="Claims sent, scrollable">
          <PlainTable
            label="Claims sent"
            columns={[
              { title: "Claim" },
              { title: "Kind" },
              { title: "Patient" },
              { title: "Payer" },
              { title: "Total", right: true },
              { title: "Status" },
              { title: "Sent" },
            ]}
            rows={claims.map((c) => ({
              key: c.id,
              cells: [
                <Anchor component={Link} to={`/billing/claims/${c.id}`} key="c" aria-label={`Claim ${c.control}`} style={{ whiteSpace: "nowrap" }}>
                  {c.control}
                </Anchor>,
                c.kind,
                c.patient,
                c.payer,
                c.total,
                <Stack gap={4} key="s">
                  <span>{c.status}</span>
                  {c.needsCorrection ? (
                    <>
                      <Badge color="orange" variant="light">
                        Needs correction
                      </Badge>
                      <Differences items={c.differences} />
                    </>
                  ) : null}
                </Stack>,
                formatInstant(c.createdAt, timeZone),
              ],
            }))}
          />
        </Scroll>
      )}
    </Paper>
  );
}

export interface ClaimDetailView {
  id: string;
  batchId: string;
  control: string;
  batch: number;
  claimType: string;
  kind: string;
  status: string;
  patient: string;
  payer: string;
  memberId: string;
  total: string;
  createdAt: string;
  payerClaimControl: { value: string; from: "remittance" | "claim" };
  lines: { id: string; date: string; code: string; units: number; amount: string; status: string; paid: string | null }[];
  replaces: { id: string; control: string; kind: string } | null;
  correctedBy: { id: string; control: string; kind: string } | null;
  correctable: boolean;
  differences: string[];
  replacementLines: { date: string; code: string; units: number; amount: string }[];
  basis: string;
}

export function ClaimSummary({ c, timeZone }: { c: ClaimDetailView; timeZone: string }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="claim-title">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Title order={2} size="h3" id="claim-title">
          {c.kind} claim, {c.status.toLowerCase()}
        </Title>
        <Group gap="xs">
          <Anchor href={`/billing/claims/${c.batchId}/download?format=837`} aria-label={`Download batch ${c.batch} as 837`}>
            Download 837
          </Anchor>
          <Anchor href={`/billing/claims/${c.batchId}/download?format=csv`} aria-label={`Download batch ${c.batch} as CSV`}>
            CSV
          </Anchor>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <Text>
          <b>Patient:</b> {c.patient}
        </Text>
        <Text>
          <b>Payer:</b> {c.payer} (member {c.memberId})
        </Text>
        <Text>
          <b>{c.claimType} claim, batch:</b> {c.batch}
        </Text>
        <Text>
          <b>Sent:</b> {formatInstant(c.createdAt, timeZone)}
        </Text>
        <Text>
          <b>Total:</b> {c.total}
        </Text>
        <Text>
          <b>Payer&apos;s claim number:</b> {c.payerClaimControl.value}{" "}
          <Text span size="sm" c="dimmed">
            ({c.payerClaimControl.from === "remittance" ? "from their 835" : "no 835 yet: our claim number"})
          </Text>
        </Text>
      </SimpleGrid>
      {c.replaces || c.correctedBy ? (
        <Text mt="sm" mb="sm">
          {c.replaces ? (
            <>
              {c.kind} of claim{" "}
              <Anchor component={Link} to={`/billing/claims/${c.replaces.id}`}>
                {c.replaces.control}
              </Anchor>
              .{" "}
            </>
          ) : null}
          {c.correctedBy ? (
            <>
              {c.correctedBy.kind === "Void" ? "Voided" : "Replaced"} by claim{" "}
              <Anchor component={Link} to={`/billing/claims/${c.correctedBy.id}`}>
                {c.correctedBy.control}
              </Anchor>
              .
            </>
          ) : null}
        </Text>
      ) : null}
      <Scroll label="Claim lines, scrollable">
        <PlainTable
          label="Claim lines"
          columns={[{ title: "Day" }, { title: "Billed as" }, { title: "Units", right: true }, { title: "Amount", right: true }, { title: "Charge" }]}
          rows={c.lines.map((l) => ({
            key: l.id,
            cells: [shortDate(l.date), l.code, l.units, l.amount, l.paid === null ? l.status : `${l.status}: ${l.paid} paid`],
          }))}
        />
      </Scroll>
    </Paper>
  );
}

export function CorrectionPanel({ c, requestKey, formErrors }: { c: ClaimDetailView; requestKey: string; formErrors?: string[] }) {
  const hidden = (
    <>
      <input type="hidden" name="basis" value={c.basis} />
      <input type="hidden" name="requestKey" value={requestKey} />
    </>
  );
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="correct-title">
      <Title order={2} size="h3" id="correct-title" mb="sm">
        Correct this claim
      </Title>
      <FormErrors errors={formErrors} mb="sm" />
      {!c.correctable ? (
        <Text c="dimmed">
          {c.kind === "Void"
            ? "A void is final: it cannot be replaced or voided."
            : `This claim was ${c.status.toLowerCase()}: correct the newest claim instead.`}
        </Text>
      ) : (
        <Stack gap="sm">
          {c.differences.length ? (
            <Alert color="orange" title="Needs correction">
              <Text size="sm" mb={4}>
                These days would be billed differently now; the exported charges stay as sent until a replacement or void goes out.
              </Text>
              <Differences items={c.differences} />
            </Alert>
          ) : (
            <Text>Every day of this claim is still billed as it was sent.</Text>
          )}
          <Text size="sm">
            A replacement (frequency 7) carries{" "}
            {c.replacementLines.length
              ? `${c.replacementLines.length} ${c.replacementLines.length === 1 ? "day" : "days"}, as they are now: ${c.replacementLines.map((l) => `${shortDate(l.date)} ${l.amount}`).join(", ")}`
              : "no day: none is billable to this payer now, so void the claim"}
            . A void (frequency 8) takes back every line as sent. Either goes out at once in a batch of its own, with the payer&apos;s claim number{" "}
            {c.payerClaimControl.value}; the original&apos;s charges are voided, and a day left out is billed later as a new claim once it is billable.
          </Text>
          <Group gap="sm">
            <Form method="post">
              {hidden}
              <Button type="submit" name="intent" value="replace" disabled={!c.replacementLines.length}>
                Send a replacement
              </Button>
            </Form>
            <Form method="post">
              {hidden}
              <Button type="submit" name="intent" value="void" color="red" variant="outline">
                Void this claim
              </Button>
            </Form>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}
