import { ActionIcon, Alert, CopyButton, Group, Stack, Text, TextInput, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import { useNavigation } from "@remix-run/react";
import { IntentButton } from "~/components/intent-button";
import { SectionCard } from "~/components/section-card";

interface CalendarCardProps {
  /** The address in use, if any: when it was made and last read (already formatted). */
  calendar: { createdAt: string; lastUsedAt: string | null } | null;
  /** A just-made address, shown this once: the server does not keep its secret. */
  newUrl: string | null;
  /** The address was just turned off. */
  justTurnedOff: boolean;
}

/** The calendar subscription of the sessions a person facilitates: make, replace or turn off its address. */
export function CalendarCard({ calendar, newUrl, justTurnedOff }: CalendarCardProps) {
  const navigation = useNavigation();
  const busyIntent = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;

  return (
    <SectionCard title="Calendar subscription">
      <Stack gap="sm">
        <Text size="sm">
          Add the sessions you facilitate to your phone or computer calendar. The calendar address shows each session&apos;s time, room and, for groups, its
          title. It never shows patient names: individual and family sessions appear only as &quot;Individual session&quot; or &quot;Family session&quot;.
        </Text>
        <Text size="sm">Anyone who has the address can see these times, so keep it to yourself. If it may have been shared, replace it or turn it off.</Text>
        {newUrl ? (
          <Alert color="green" title="Your new address is ready">
            <Stack gap="xs">
              <Group gap="xs" align="flex-end" wrap="nowrap">
                <TextInput
                  label="Calendar address"
                  value={newUrl}
                  readOnly
                  onFocus={(e) => e.currentTarget.select()}
                  style={{ flex: 1, minWidth: 0 }}
                  styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
                />
                <CopyButton value={newUrl} timeout={2000}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? "Copied" : "Copy"} withArrow>
                      <ActionIcon
                        size={36}
                        variant={copied ? "filled" : "default"}
                        color={copied ? "teal" : undefined}
                        onClick={copy}
                        aria-label={copied ? "Copied" : "Copy the address"}
                      >
                        {copied ? <IconCheck size={18} aria-hidden /> : <IconCopy size={18} aria-hidden />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </Group>
              <Text size="sm">
                Copy it now and add it to your calendar app as a subscription (&quot;From URL&quot; or &quot;Subscribe to calendar&quot;). It will not be shown
                again; if you lose it, replace it.
              </Text>
            </Stack>
          </Alert>
        ) : null}
        {justTurnedOff ? (
          <Alert color="gray" role="status">
            Your calendar address is turned off. Calendars subscribed to it will stop updating.
          </Alert>
        ) : null}
        {calendar ? (
          <Text size="sm">
            Your calendar address was made {calendar.createdAt}.{" "}
            {calendar.lastUsedAt ? `A calendar app last read it ${calendar.lastUsedAt}.` : "No calendar app has read it yet."}
          </Text>
        ) : justTurnedOff ? null : (
          <Text size="sm">You have no calendar address.</Text>
        )}
        <Group gap="sm">
          <IntentButton intent="create-calendar" variant="light" loading={busyIntent === "create-calendar"} disabled={Boolean(busyIntent)}>
            {calendar ? "Replace calendar address" : "Create calendar address"}
          </IntentButton>
          {calendar ? (
            <IntentButton intent="revoke-calendar" color="red" variant="outline" loading={busyIntent === "revoke-calendar"} disabled={Boolean(busyIntent)}>
              Turn off calendar address
            </IntentButton>
          ) : null}
        </Group>
        {calendar ? (
          <Text size="xs" c="dimmed">
            Replacing the address turns the old one off: calendars subscribed to it stop updating.
          </Text>
        ) : null}
      </Stack>
    </SectionCard>
  );
}
