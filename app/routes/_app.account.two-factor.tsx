import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, type ShouldRevalidateFunction, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { AuthenticatorSetup, RecoveryCodes } from "~/features/auth/components/two-factor";
import { AuthenticatorCodeInput } from "~/features/auth/components/sign-in-steps";
import { requireUser } from "~/features/auth/guard.server";
import { authenticatorCode } from "~/features/auth/schemas";
import {
  confirmEnrolment,
  enrolmentKeyFor,
  isEnrolmentKey,
  newEnrolmentKey,
  regenerateRecoveryCodes,
  requiresTwoFactor,
  turnOffTwoFactor,
  twoFactorPolicy,
  twoFactorStatus,
} from "~/features/auth/two-factor.server";
import { formatInstant } from "~/kernel/time";
import { SectionCard } from "~/components/section-card";

export const meta: MetaFunction = () => [{ title: "Two-factor sign-in · IOP Dashboard" }];

const Schema = z.object({
  intent: z.enum(["enable", "regenerate", "disable"], { error: "That is not something this page can do." }),
  code: authenticatorCode,
  secret: z.string().max(64).optional(),
});

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site } = await requireUser(args, "update:own-account");
  const [status, policy] = await Promise.all([twoFactorStatus(db, user.id), twoFactorPolicy(db, user.id)]);
  const key = status.enabled ? null : await newEnrolmentKey(user.email);
  return {
    status: { ...status, enabledAt: status.enabledAt ? formatInstant(status.enabledAt, site?.time_zone ?? "UTC") : null },
    required: requiresTwoFactor(policy.value, user.role),
    key: key ? { secret: key.secret, qr: key.qr } : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, meta } = await requireUser(args, "update:own-account");
  const submission = parseWithZod(await args.request.formData(), { schema: Schema });
  const intent = String(submission.payload.intent ?? "");
  // After a wrong set-up code the page shows the key that was sent, which the person's app already
  // holds (without JavaScript the page is drawn anew, and its loader would offer a new key).
  const sent = String(submission.payload.secret ?? "");
  const offered = async () => (intent === "enable" && isEnrolmentKey(sent) ? await enrolmentKeyFor(user.email, sent) : null);
  if (submission.status !== "success")
    return data(
      { intent, error: Object.values(submission.error ?? {}).flat()[0] ?? "Enter the code.", codes: null, done: null, key: await offered() },
      { status: 400 },
    );
  const { code } = submission.value;
  if (submission.value.intent === "disable") {
    const r = await turnOffTwoFactor(db, user, code, meta);
    return r.ok
      ? { intent, error: null, codes: null, done: "Two-factor sign-in is off.", key: null }
      : data({ intent, error: r.message, codes: null, done: null, key: null }, { status: 400 });
  }
  const r =
    submission.value.intent === "enable"
      ? await confirmEnrolment(db, user, submission.value.secret ?? "", code, meta)
      : await regenerateRecoveryCodes(db, user, code, meta);
  return r.ok
    ? { intent, error: null, codes: r.recoveryCodes, account: user.email, done: null, key: null }
    : data({ intent, error: r.message, codes: null, done: null, key: await offered() }, { status: 400 });
}

function CodeForm(props: { intent: string; label: string; color?: string; error?: string | null }) {
  const navigation = useNavigation();
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={props.intent} />
      <Group align="flex-start">
        <AuthenticatorCodeInput error={props.error ?? undefined} w={220} />
        <Button
          type="submit"
          mt={25}
          color={props.color}
          variant={props.color ? "outline" : "filled"}
          loading={navigation.state === "submitting" && navigation.formData?.get("intent") === props.intent}
        >
          {props.label}
        </Button>
      </Group>
    </Form>
  );
}

/** A wrong code while setting up keeps the same key on screen (reloading would offer a new one). */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult?.intent === "enable" && actionResult.error ? false : defaultShouldRevalidate;

export default function AccountTwoFactorPage() {
  const loaded = useLoaderData<typeof loader>();
  const { status, required } = loaded;
  const result = useActionData<typeof action>();
  const key = result?.key ?? loaded.key;
  const navigation = useNavigation();
  const errorFor = (intent: string) => (result?.intent === intent ? result.error : null);
  return (
    <Stack gap="lg" maw={720}>
      <Anchor component={Link} to="/account" size="sm">
        ← Your account
      </Anchor>
      <Title order={1}>Two-factor sign-in</Title>
      {result?.codes ? (
        <Card withBorder>
          <RecoveryCodes codes={result.codes} account={"account" in result ? result.account : undefined} />
        </Card>
      ) : null}
      {result?.done ? (
        <Card withBorder>
          <Text role="status">{result.done}</Text>
        </Card>
      ) : null}
      {!status.enabled && key ? (
        <Card withBorder>
          <Text size="sm" mb="md">
            {required
              ? "The program requires two-factor sign-in for your role; you will be asked to set it up at your next sign-in if you do not now."
              : "Optional for your role, and recommended: it keeps patient records safe if your password is ever stolen."}
          </Text>
          <AuthenticatorSetup
            secret={key.secret}
            qr={key.qr}
            intent="enable"
            error={errorFor("enable") ?? undefined}
            submitting={navigation.state === "submitting"}
          />
        </Card>
      ) : null}
      {status.enabled ? (
        <>
          <Card withBorder>
            <Text size="sm">
              On since {status.enabledAt}. {status.recoveryCodesLeft} of 10 recovery codes are unused.
            </Text>
          </Card>
          <SectionCard title="New recovery codes">
            <Text size="sm" mb="sm">
              Replaces all ten codes; the old ones stop working. Enter a code from your app to confirm it is you.
            </Text>
            <CodeForm intent="regenerate" label="Make new recovery codes" error={errorFor("regenerate")} />
          </SectionCard>
          {required ? (
            <Text size="sm" c="dimmed">
              The program requires two-factor sign-in for your role, so it cannot be turned off here. If you lose your phone and your codes, an admin can reset
              it.
            </Text>
          ) : (
            <SectionCard title="Turn off">
              <CodeForm intent="disable" label="Turn off two-factor sign-in" color="red" error={errorFor("disable")} />
            </SectionCard>
          )}
        </>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
