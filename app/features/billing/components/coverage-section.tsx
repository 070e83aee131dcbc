/**
 * The chart's Coverage section (issue 21): each coverage with its authorizations (units used,
 * remaining, days left, counted from attendance), Medicare certifications, and the forms that add
 * or change them. Editing one opens its form in place (`?edit=`), with the version it was read at.
 */
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Alert, Anchor, Badge, Button, Card, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Form, Link, useNavigation } from "@remix-run/react";
import { DateField, SelectField, TextField, optional } from "~/components/form-fields";
import { FormErrors } from "~/components/form-errors";
import { RowsTable } from "~/components/rows-table";
import { useSchemaForm } from "~/components/schema-form";
import { LEVEL_LABELS } from "~/features/patients/rules";
import { dateRange, shortDate, shortDateOr } from "~/kernel/time";
import type { AuthorizationView } from "../authorizations.server";
import type { CertificationStanding } from "../certifications.server";
import type { CoverageView } from "../coverage.server";
import { AUTHORIZATION_STATUSES, COVERAGE_PRIORITIES, PAYER_KINDS, RELATIONSHIPS, UNIT_KINDS } from "../rules";
import css from "./billing.module.css";
import { CreateAuthorizationSchema, CreateCertificationSchema, CreateCoverageSchema, UpdateAuthorizationSchema, UpdateCoverageSchema } from "../schemas";

type Reply = SubmissionResult<string[]> | undefined;
type Coverage = CoverageView & { authorizations: AuthorizationView[] };

const unitsOf = (a: Pick<AuthorizationView, "unitKind">) => UNIT_KINDS[a.unitKind].toLowerCase();

function Figures({ a }: { a: AuthorizationView }) {
  return (
    <Text size="sm" className={a.exceeded ? css.danger : undefined}>
      {a.exceeded ? `${-a.remaining} over` : `${a.remaining} left`}
    </Text>
  );
}

function AuthorizationsTable({ coverage, canWrite, base }: { coverage: Coverage; canWrite: boolean; base: string }) {
  if (!coverage.authorizations.length) return <Text size="sm">No authorizations on this coverage yet.</Text>;
  return (
    <RowsTable
      label={`Authorizations on ${coverage.payerName}`}
      rows={coverage.authorizations}
      rowKey={(a) => a.id}
      columns={[
        { title: "Level", cell: (a) => a.levelOfCare },
        { title: "Number", cell: (a) => a.number || "—" },
        { title: "Dates", cell: (a) => dateRange(a.startsOn, a.endsOn) },
        { title: "Status", cell: (a) => AUTHORIZATION_STATUSES[a.status] },
        { title: "Used", right: true, cell: (a) => `${a.used} of ${a.unitsApproved} ${unitsOf(a)}` },
        { title: "Remaining", right: true, cell: (a) => <Figures a={a} /> },
        { title: "Days left", right: true, cell: (a) => String(a.daysLeft) },
        { title: "Next review", cell: (a) => shortDateOr(a.nextReviewOn) },
        ...(canWrite
          ? [
              {
                title: "Change",
                cell: (a: AuthorizationView) => (
                  <Anchor component={Link} to={`${base}?edit=authorization-${a.id}`} size="sm" aria-label={`Edit authorization ${a.number || a.startsOn}`}>
                    Edit
                  </Anchor>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

export function CoverageCards({
  coverages,
  certifications,
  canWrite,
  base,
}: {
  coverages: Coverage[];
  certifications: CertificationStanding[];
  canWrite: boolean;
  base: string;
}) {
  if (!coverages.length) return <Alert color="gray">No coverage recorded. Add the patient's insurance below.</Alert>;
  return (
    <Stack gap="md">
      {coverages.map((c) => {
        const certs = certifications.filter((s) => s.coverageId === c.id);
        return (
          <Card withBorder key={c.id}>
            <Group justify="space-between" align="flex-start" mb="xs">
              <div>
                <Title order={2} size="h3">
                  {c.payerName}
                </Title>
                <Text size="sm" c="dimmed">
                  {PAYER_KINDS[c.payerKind]} · {COVERAGE_PRIORITIES[c.priority]} · {dateRange(c.effectiveFrom, c.effectiveTo, "open-ended")}
                </Text>
              </div>
              <Group gap="xs">
                <Badge variant="light">{COVERAGE_PRIORITIES[c.priority]}</Badge>
                {canWrite ? (
                  <Anchor component={Link} to={`${base}?edit=coverage-${c.id}`} size="sm" aria-label={`Edit coverage ${c.payerName}`}>
                    Edit
                  </Anchor>
                ) : null}
              </Group>
            </Group>
            <SimpleGrid cols={{ base: 2, sm: 4 }} mb="sm">
              <Text size="sm">
                <b>Member id</b> {c.memberId || "—"}
              </Text>
              <Text size="sm">
                <b>Group</b> {c.groupNumber || "—"}
              </Text>
              <Text size="sm">
                <b>Subscriber</b> {c.subscriberName || "the patient"} ({RELATIONSHIPS[c.relationship]})
              </Text>
              <Text size="sm">
                <b>Subscriber born</b> {shortDateOr(c.subscriberBirthDate)}
              </Text>
            </SimpleGrid>
            <Title order={3} size="h4" mb={4}>
              Authorizations
            </Title>
            <AuthorizationsTable coverage={c} canWrite={canWrite} base={base} />
            {c.payerKind === "medicare" ? (
              <>
                <Title order={3} size="h4" mt="sm" mb={4}>
                  Medicare certification
                </Title>
                {certs.length ? (
                  certs.map((s) => (
                    <Stack key={s.levelOfCare} gap={4}>
                      <Text size="sm" fw={600} className={s.current ? undefined : css.danger}>
                        {s.levelOfCare}:{" "}
                        {s.dueOn
                          ? s.current
                            ? `current; next recertification due ${shortDate(s.dueOn)}`
                            : `recertification overdue since ${shortDate(s.dueOn)}`
                          : "no initial certification on record"}
                      </Text>
                      <RowsTable
                        label={`${s.levelOfCare} certifications`}
                        rows={s.rows}
                        rowKey={(r) => r.id}
                        columns={[
                          { title: "Signed", cell: (r) => shortDate(r.certifiedOn) },
                          { title: "Kind", cell: (r) => (r.kind === "initial" ? "Initial certification" : "Recertification") },
                          { title: "Physician", cell: (r) => `${r.physicianName}${r.physicianNpi ? ` (NPI ${r.physicianNpi})` : ""}` },
                          { title: "Hours a week", right: true, cell: (r) => String(r.hoursPerWeek) },
                        ]}
                      />
                    </Stack>
                  ))
                ) : (
                  <Text size="sm" className={css.danger}>
                    No physician certification on record (Medicare pays for IOP and PHP only under one).
                  </Text>
                )}
              </>
            ) : null}
          </Card>
        );
      })}
    </Stack>
  );
}

function Submit({ label }: { label: string }) {
  const navigation = useNavigation();
  return (
    <div>
      <Button type="submit" loading={navigation.state === "submitting"}>
        {label}
      </Button>
    </div>
  );
}

export function CoverageForm({
  payers,
  editing,
  lastResult,
  base,
}: {
  payers: { id: string; name: string; kind: string }[];
  editing: CoverageView | null;
  lastResult: Reply;
  base: string;
}) {
  const schema = editing ? UpdateCoverageSchema : CreateCoverageSchema;
  const [form, fields] = useSchemaForm(schema, {
    id: editing ? `coverage-${editing.id}-${editing.version}` : "coverage-new",
    lastResult,
    defaultValue: editing
      ? {
          payerId: editing.payerId,
          memberId: editing.memberId,
          groupNumber: editing.groupNumber,
          subscriberName: editing.subscriberName,
          subscriberBirthDate: editing.subscriberBirthDate ?? "",
          relationship: editing.relationship,
          priority: editing.priority,
          effectiveFrom: editing.effectiveFrom,
          effectiveTo: editing.effectiveTo ?? "",
        }
      : { relationship: "self", priority: "primary" },
  });
  const options = payers.map((p) => ({ value: p.id, label: `${p.name} (${PAYER_KINDS[p.kind as keyof typeof PAYER_KINDS]})` }));
  if (editing && !payers.some((p) => p.id === editing.payerId)) options.push({ value: editing.payerId, label: editing.payerName });
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h3" mb="xs">
        {editing ? `Change coverage: ${editing.payerName}` : "Add a coverage"}
      </Title>
      <Form method="post" action={base} {...getFormProps(form)}>
        <input type="hidden" name="intent" value={editing ? "update-coverage" : "create-coverage"} />
        {editing ? <input type="hidden" name="coverageId" value={editing.id} /> : null}
        {editing ? <input type="hidden" name="version" value={editing.version} /> : null}
        <Stack>
          <FormErrors errors={form.errors} />
          <Group align="flex-start" grow>
            <SelectField field={fields.payerId} label="Payer" options={options} required />
            <SelectField field={fields.priority} label="Priority" options={COVERAGE_PRIORITIES} required />
          </Group>
          <Group align="flex-start" grow>
            <TextField field={fields.memberId} label="Member id" required maxLength={40} />
            <TextField field={fields.groupNumber} label={optional("Group number")} maxLength={40} />
          </Group>
          <Group align="flex-start" grow>
            <TextField
              field={fields.subscriberName}
              label={optional("Subscriber name")}
              description="Leave empty when the patient is the subscriber."
              maxLength={120}
            />
            <DateField field={fields.subscriberBirthDate} label={optional("Subscriber birth date")} />
            <SelectField field={fields.relationship} label="Patient's relationship to the subscriber" options={RELATIONSHIPS} required />
          </Group>
          <Group align="flex-start">
            <DateField field={fields.effectiveFrom} label="Effective from" required />
            <DateField field={fields.effectiveTo} label={optional("Effective to")} />
          </Group>
          <Group>
            <Submit label={editing ? "Save coverage" : "Add coverage"} />
            {editing ? (
              <Anchor component={Link} to={base} size="sm">
                Cancel
              </Anchor>
            ) : null}
          </Group>
        </Stack>
      </Form>
    </Paper>
  );
}

export function AuthorizationForm({
  coverages,
  editing,
  lastResult,
  base,
  level,
}: {
  coverages: CoverageView[];
  editing: AuthorizationView | null;
  lastResult: Reply;
  base: string;
  level: string;
}) {
  const schema = editing ? UpdateAuthorizationSchema : CreateAuthorizationSchema;
  const [form, fields] = useSchemaForm(schema, {
    id: editing ? `authorization-${editing.id}-${editing.version}` : "authorization-new",
    lastResult,
    defaultValue: editing
      ? {
          coverageId: editing.coverageId,
          levelOfCare: editing.levelOfCare,
          unitKind: editing.unitKind,
          unitsApproved: String(editing.unitsApproved),
          startsOn: editing.startsOn,
          endsOn: editing.endsOn,
          status: editing.status,
          number: editing.number,
          nextReviewOn: editing.nextReviewOn ?? "",
        }
      : { coverageId: coverages.length === 1 ? coverages[0].id : undefined, levelOfCare: level, unitKind: "days", status: "approved" },
  });
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h3" mb="xs">
        {editing ? `Change authorization ${editing.number}` : "Record an authorization"}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Units used are counted from attendance: a day counts once it is billable by its hours (IOP from 3 hours, PHP from 5).
      </Text>
      <Form method="post" action={base} {...getFormProps(form)}>
        <input type="hidden" name="intent" value={editing ? "update-authorization" : "create-authorization"} />
        {editing ? <input type="hidden" name="authorizationId" value={editing.id} /> : null}
        {editing ? <input type="hidden" name="version" value={editing.version} /> : null}
        <Stack>
          <FormErrors errors={form.errors} />
          <Group align="flex-start" grow>
            <SelectField
              field={fields.coverageId}
              label="Coverage"
              options={coverages.map((c) => ({ value: c.id, label: `${c.payerName} (${COVERAGE_PRIORITIES[c.priority]})` }))}
              required
            />
            <SelectField
              field={fields.levelOfCare}
              label="Level of care"
              options={Object.entries(LEVEL_LABELS).map(([value, label]) => ({ value, label }))}
              required
            />
            <SelectField field={fields.status} label="Status" options={AUTHORIZATION_STATUSES} required />
          </Group>
          <Group align="flex-start" grow>
            <TextField field={fields.unitsApproved} label="Units approved" type="number" min={1} required />
            <SelectField field={fields.unitKind} label="Unit" options={UNIT_KINDS} required />
            <TextField field={fields.number} label={optional("Authorization number")} maxLength={40} />
          </Group>
          <Group align="flex-start">
            <DateField field={fields.startsOn} label="First day" required />
            <DateField field={fields.endsOn} label="Last day" required />
            <DateField field={fields.nextReviewOn} label={optional("Next concurrent review")} />
          </Group>
          <Group>
            <Submit label={editing ? "Save authorization" : "Record authorization"} />
            {editing ? (
              <Anchor component={Link} to={base} size="sm">
                Cancel
              </Anchor>
            ) : null}
          </Group>
        </Stack>
      </Form>
    </Paper>
  );
}

export function CertificationForm({ coverages, lastResult, base, today }: { coverages: CoverageView[]; lastResult: Reply; base: string; today: string }) {
  const [form, fields] = useSchemaForm(CreateCertificationSchema, {
    id: "certification-new",
    lastResult,
    defaultValue: { coverageId: coverages.length === 1 ? coverages[0].id : undefined, levelOfCare: "IOP", kind: "initial", certifiedOn: today },
  });
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h3" mb="xs">
        Record a Medicare certification
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        The physician certifies that the patient needs at least 9 hours a week of IOP, or 20 of PHP; recertifications fall due as Medicare sets (42 CFR 424.24).
      </Text>
      <Form method="post" action={base} {...getFormProps(form)}>
        <input type="hidden" name="intent" value="create-certification" />
        <Stack>
          <FormErrors errors={form.errors} />
          <Group align="flex-start" grow>
            <SelectField field={fields.coverageId} label="Medicare coverage" options={coverages.map((c) => ({ value: c.id, label: c.payerName }))} required />
            <SelectField field={fields.levelOfCare} label="Level certified" options={{ IOP: "IOP", PHP: "PHP" }} required />
            <SelectField
              field={fields.kind}
              label="Certification"
              options={{ initial: "Initial certification", recertification: "Recertification" }}
              required
            />
          </Group>
          <Group align="flex-start" grow>
            <DateField field={fields.certifiedOn} label="Signed on" required max={today} />
            <TextField field={fields.physicianName} label="Physician" required maxLength={120} />
            <TextField field={fields.physicianNpi} label="Physician NPI" required maxLength={10} inputMode="numeric" />
            <TextField field={fields.hoursPerWeek} label="Hours a week certified" type="number" min={1} required />
          </Group>
          <Submit label="Record certification" />
        </Stack>
      </Form>
    </Paper>
  );
}
