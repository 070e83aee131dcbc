import { Alert, Anchor, Badge, Button, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { OutcomeBadge } from "~/features/drug-testing/components/badges";
import { drawBoard, getDraw, rerunDraw } from "~/features/drug-testing/draws.server";
import { DRAW_POOLS } from "~/features/drug-testing/rules";
import { localClock, longDate } from "~/kernel/time";
import { recordPatientListView } from "~/features/audit/list-views.server";

export const meta: MetaFunction = () => [{ title: "Random draw · Drug tests · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, sites, meta } = await requireUser(args, "record:drug-tests");
  const draw = await getDraw(
    db,
    args.params.drawId ?? "",
    sites.map((s) => s.id),
  );
  if (!draw) throw data({ message: "There is no such draw at your sites." }, { status: 404 });
  const tz = sites.find((s) => s.id === draw.siteId)?.time_zone ?? "UTC";
  const board = await drawBoard(db, draw);
  // Who is a patient is itself Part 2 information: one audit row per view of a list that names them.
  await recordPatientListView(
    db,
    user,
    { kind: "drug_test_draw", siteId: draw.siteId, filters: { draw: draw.id, date: draw.date }, shown: draw.eligible.length },
    meta,
  );
  const eligibleRows = await db
    .selectFrom("patients")
    .select(["id", "mrn"])
    .where("id", "in", draw.eligible.length ? draw.eligible : [""])
    .execute();
  const mrnOf = new Map(eligibleRows.map((r) => [r.id, r.mrn]));
  const verify = new URL(args.request.url).searchParams.get("rerun") === "1";
  const rerun = verify ? rerunDraw(draw) : null;
  return {
    draw: {
      id: draw.id,
      date: draw.date,
      sequence: draw.sequence,
      by: draw.drawnBy,
      at: localClock(draw.drawnAt, tz),
      pool: DRAW_POOLS[draw.pool],
      rule: draw.mode === "rate" ? `${draw.amount} % of ${draw.eligible.length} eligible, rounded up` : `${draw.amount} of ${draw.eligible.length} eligible`,
      seed: draw.seed,
      algorithm: draw.algorithm,
      reason: draw.reason,
      eligible: draw.eligible.map((id) => ({ id, mrn: mrnOf.get(id) ?? "" })),
      selectedCount: draw.selected.length,
    },
    timeZone: tz,
    // Staff read outcomes in neutral words (docs/security.md).
    clinical: can(user.role, "read:patient-clinical"),
    board: board.map((b) => ({ ...b, time: b.test ? localClock(b.test.collectedAt, tz) : null })),
    rerun: rerun ? { reproduced: rerun.reproduced, mrns: rerun.selection.map((id) => mrnOf.get(id) ?? id) } : null,
  };
}

export default function DrawPage() {
  const { draw: d, board, rerun, timeZone, clinical } = useLoaderData<typeof loader>();
  return (
    <Stack gap="md" maw={960}>
      <Anchor component={Link} to={`/drug-tests?date=${d.date}`} size="sm">
        ← Drug tests on {longDate(d.date)}
      </Anchor>
      <div>
        <Title order={1}>
          Random draw, {longDate(d.date)}
          {d.sequence > 1 ? ` (draw ${d.sequence})` : ""}
        </Title>
        <Text c="dimmed">
          By {d.by} at {d.at} ({timeZone}) · {d.pool} · {d.rule}: {d.selectedCount} selected
        </Text>
      </div>
      {d.reason ? (
        <Alert color="yellow" title="Drawn again">
          {d.reason}
        </Alert>
      ) : null}
      <Card withBorder>
        <Title order={2} size="h3" mb="xs">
          Selected, in the order drawn
        </Title>
        <Table fz="sm" striped aria-label="Selected patients">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40}>#</Table.Th>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Collection</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {board.map((b) => (
              <Table.Tr key={b.patientId}>
                <Table.Td>{b.order}</Table.Td>
                <Table.Td>
                  {b.name}{" "}
                  <Text span size="xs" c="dimmed">
                    {b.mrn}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {b.test ? (
                    <Group gap="xs">
                      <Anchor component={Link} to={`/drug-tests/${b.test.id}`} size="sm">
                        {b.time}
                      </Anchor>
                      <OutcomeBadge outcome={b.test.outcome} unexpectedPositive={b.test.unexpectedPositive} neutral={!clinical} />
                    </Group>
                  ) : (
                    <Badge color="orange" variant="light" tt="none">
                      Missing
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder>
        <Title order={2} size="h3" mb="xs">
          Check the draw
        </Title>
        <Text size="sm" mb="sm">
          The draw can be re-run by anyone from what is stored here: the seed, the eligible patients (sorted by id) and how many were drawn. The same inputs
          always give the same patients in the same order.
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          <div>
            <Text size="sm" fw={600}>
              Seed
            </Text>
            <Code block style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
              {d.seed}
            </Code>
          </div>
          <div>
            <Text size="sm" fw={600}>
              Algorithm
            </Text>
            <Code block>{d.algorithm}</Code>
            <Text size="xs" c="dimmed" mt={4}>
              HMAC-SHA256 keyed with the seed over the counters 0, 1, 2… gives 32-bit numbers; rejection sampling makes each pick unbiased; a partial
              Fisher–Yates shuffle of the eligible list picks the patients.
            </Text>
          </div>
        </SimpleGrid>
        <Form method="get" style={{ marginTop: 12 }}>
          <input type="hidden" name="rerun" value="1" />
          <Button type="submit" variant="default">
            Re-run the draw from its seed
          </Button>
        </Form>
        {rerun ? (
          rerun.reproduced ? (
            <Alert color="teal" mt="sm" title="Reproduced">
              Re-running {d.algorithm} from the stored seed gives the same {d.selectedCount} patients in the same order: {rerun.mrns.join(", ")}.
            </Alert>
          ) : (
            <Alert color="red" mt="sm" title="Not reproduced" role="alert">
              Re-running from the stored seed does not give the stored selection. The record may have been changed; check the audit log for this draw.
            </Alert>
          )
        ) : null}
        <details style={{ marginTop: 12 }}>
          <summary>
            <Text span size="sm" fw={600}>
              The {d.eligible.length} eligible patients, sorted by id
            </Text>
          </summary>
          <Table fz="xs" mt="xs" aria-label="Eligible patients">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Patient id</Table.Th>
                <Table.Th>MRN</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.eligible.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <Code>{e.id}</Code>
                  </Table.Td>
                  <Table.Td>{e.mrn}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </details>
      </Card>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
