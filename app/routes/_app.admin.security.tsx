import { Alert, Anchor, Badge, Button, Card, Group, Radio, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { RowsTable } from "~/components/rows-table";
import { requireUser } from "~/features/auth/guard.server";
import { ROLE_LABELS } from "~/features/auth/permissions";
import { requiresTwoFactor, TWO_FACTOR_POLICIES, type TwoFactorPolicy } from "~/features/auth/security";
import { effectiveTwoFactorPolicies, setSiteTwoFactorPolicy, siteTwoFactorPolicy } from "~/features/auth/two-factor-policy.server";
import { securityRoster } from "~/features/admin/users.server";
import { toastHeader } from "~/kernel/toast.server";

export const meta: MetaFunction = () => [{ title: "Sign-in security · IOP Dashboard" }];

const PolicySchema = z.object({
  policy: z.enum(Object.keys(TWO_FACTOR_POLICIES) as [TwoFactorPolicy, ...TwoFactorPolicy[]], { error: "Choose who must use two-factor sign-in." }),
  version: z.coerce.number().int(),
});

/**
 * The two-factor policy is the current site's own (issue 16, 7d): an admin sets it for the site
 * they are working at, and it reaches no other site. Someone who also works at a stricter site
 * must meet that site's policy too, so the table shows what each person must meet.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { db, sites, site } = await requireUser(args, "manage:users");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const policy = await siteTwoFactorPolicy(db, site.id);
  const people = await securityRoster(
    db,
    sites.map((s) => s.id),
  );
  const required = await effectiveTwoFactorPolicies(
    db,
    people.map((p) => p.id),
  );
  return {
    site: { name: site.name },
    policy,
    people: people.map((p) => ({ ...p, required: requiresTwoFactor(required.get(p.id) ?? policy.value, p.role) })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "manage:users");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const form = await args.request.formData();
  const parsed = PolicySchema.safeParse({ policy: form.get("policy"), version: form.get("version") });
  if (!parsed.success) return data({ error: parsed.error.issues[0]?.message ?? "Choose who must use two-factor sign-in." }, { status: 400 });
  const result = await setSiteTwoFactorPolicy(db, user, site.id, parsed.data.policy, parsed.data.version, meta);
  if (!result.ok) return data({ error: result.message }, { status: 409 });
  return redirect("/admin/security", {
    headers: {
      "Set-Cookie": await toastHeader({
        kind: "success",
        message: `Two-factor sign-in at ${site.name} is now required for: ${TWO_FACTOR_POLICIES[parsed.data.policy].toLowerCase()}.`,
      }),
    },
  });
}

export default function SecurityPage() {
  const { site, policy, people } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const missing = people.filter((p) => p.required && !p.twoFactor).length;
  return (
    <Stack gap="lg" maw={900}>
      <PageHeading back={{ to: "/admin/users", label: "Staff accounts" }} title="Sign-in security">
        Who must use two-factor sign-in, and who may break the glass.
      </PageHeading>
      <Card withBorder>
        <Form method="post">
          <input type="hidden" name="version" value={policy.version} />
          <Stack>
            {result?.error ? (
              <Alert color="red" role="alert">
                {result.error}
              </Alert>
            ) : null}
            <Radio.Group
              name="policy"
              label={`At ${site.name}, two-factor sign-in is required for`}
              description={`${policy.ownChoice ? "" : "This site follows the network's default until you choose. "}It applies here only; someone who also works at a site with a stricter policy must meet that one. People it applies to set it up at their next sign-in; nobody already signed in is interrupted.`}
              defaultValue={policy.value}
            >
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
          {missing
            ? `${missing} ${missing === 1 ? "person is" : "people are"} required to set up two-factor sign-in and will be asked at their next sign-in.`
            : "Everyone required to use two-factor sign-in has set it up."}
        </Text>
        <RowsTable
          label="Staff sign-in security"
          rows={people}
          rowKey={(p) => p.id}
          columns={[
            {
              title: "Name",
              cell: (p) => (
                <Anchor component={Link} to={`/admin/users/${p.id}`}>
                  {p.name}
                </Anchor>
              ),
            },
            { title: "Role", cell: (p) => ROLE_LABELS[p.role] },
            {
              title: "Two-factor sign-in",
              cell: (p) =>
                p.twoFactor ? (
                  <Badge color="teal.9" variant="filled">
                    On
                  </Badge>
                ) : p.required ? (
                  <Badge color="orange" variant="light">
                    Required, not set up
                  </Badge>
                ) : (
                  <Text size="sm">Off</Text>
                ),
            },
            { title: "Emergency access", cell: (p) => (p.emergency ? "May break the glass" : "—") },
          ]}
        />
      </Card>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
