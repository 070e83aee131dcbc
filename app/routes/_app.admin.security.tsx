import { Alert, Anchor, Badge, Button, Card, Group, Radio, Stack, Table, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { ROLE_LABELS } from "~/features/auth/permissions";
import { requiresTwoFactor, TWO_FACTOR_POLICIES, type TwoFactorPolicy } from "~/features/auth/security";
import { setTwoFactorPolicy, twoFactorPolicy } from "~/features/auth/two-factor.server";
import { toastHeader } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Sign-in security · IOP Dashboard" }];

const PolicySchema = z.object({
  policy: z.enum(Object.keys(TWO_FACTOR_POLICIES) as [TwoFactorPolicy, ...TwoFactorPolicy[]], { error: "Choose who must use two-factor sign-in." }),
  version: z.coerce.number().int(),
});

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites } = await requireUser(args, "manage:users");
  const policy = await twoFactorPolicy(db);
  const people = await db
    .selectFrom("users")
    .select(["id", "name", "email", "role", "active", "totp_enabled_at", "emergency_access"])
    .where((eb) => eb.exists(eb.selectFrom("user_sites").select("user_id").whereRef("user_sites.user_id", "=", "users.id").where("user_sites.site_id", "in", sites.length ? sites.map((s) => s.id) : [""])))
    .where("active", "=", 1)
    .orderBy("name")
    .execute();
  return {
    policy,
    people: people.map((p) => ({ id: p.id, name: p.name, email: p.email, role: p.role, twoFactor: Boolean(p.totp_enabled_at), required: requiresTwoFactor(policy.value, p.role), emergency: Boolean(p.emergency_access) })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, meta } = await requireUser(args, "manage:users");
  const form = await args.request.formData();
  const parsed = PolicySchema.safeParse({ policy: form.get("policy"), version: form.get("version") });
  if (!parsed.success) return data({ error: parsed.error.issues[0]?.message ?? "Choose who must use two-factor sign-in." }, { status: 400 });
  const result = await setTwoFactorPolicy(db, user, parsed.data.policy, parsed.data.version, meta);
  if (!result.ok) return data({ error: result.message }, { status: 409 });
  return redirect("/admin/security", { headers: { "Set-Cookie": toastHeader({ kind: "success", message: `Two-factor sign-in is now required for: ${TWO_FACTOR_POLICIES[parsed.data.policy].toLowerCase()}.` }) } });
}

export default function SecurityPage() {
  const { policy, people } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const missing = people.filter((p) => p.required && !p.twoFactor).length;
  return (
    <Stack gap="lg" maw={900}>
      <div>
        <Anchor component={Link} to="/admin/users" size="sm">
          ← Staff accounts
        </Anchor>
        <Title order={1}>Sign-in security</Title>
        <Text c="dimmed">Who must use two-factor sign-in, and who may break the glass.</Text>
      </div>
      <Card withBorder>
        <Form method="post">
          <input type="hidden" name="version" value={policy.version} />
          <Stack>
            {result?.error ? (
              <Alert color="red" role="alert">
                {result.error}
              </Alert>
            ) : null}
            <Radio.Group name="policy" label="Two-factor sign-in is required for" description="People it applies to set it up at their next sign-in; nobody already signed in is interrupted." defaultValue={policy.value}>
              <Stack gap="xs" mt="xs">
                {(Object.entries(TWO_FACTOR_POLICIES) as [TwoFactorPolicy, string][]).map(([value, label]) => (
                  <Radio key={value} value={value} label={label} />
                ))}
              </Stack>
            </Radio.Group>
            <div>
              <Button type="submit" loading={navigation.state === "submitting"}>
                Save
              </Button>
            </div>
          </Stack>
        </Form>
      </Card>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h3">
            Staff
          </Title>
          <Anchor component={Link} to="/admin/emergency-access">
            Emergency access report
          </Anchor>
        </Group>
        <Text size="sm" mb="sm">
          {missing ? `${missing} ${missing === 1 ? "person is" : "people are"} required to set up two-factor sign-in and will be asked at their next sign-in.` : "Everyone required to use two-factor sign-in has set it up."}
        </Text>
        <Table striped fz="sm" aria-label="Staff sign-in security">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Two-factor sign-in</Table.Th>
              <Table.Th>Emergency access</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {people.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/admin/users/${p.id}`}>
                    {p.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{ROLE_LABELS[p.role]}</Table.Td>
                <Table.Td>
                  {p.twoFactor ? (
                    <Badge color="teal.9" variant="filled">
                      On
                    </Badge>
                  ) : p.required ? (
                    <Badge color="orange" variant="light">
                      Required, not set up
                    </Badge>
                  ) : (
                    <Text size="sm">Off</Text>
                  )}
                </Table.Td>
                <Table.Td>{p.emergency ? "May break the glass" : "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
