/**
 * Home's utilization-review card for admins and billing staff: authorizations ending, few units
 * left, reviews due, patients attending without an authorization, units exceeded, Medicare
 * recertifications due. Each names the patient and opens their Coverage section.
 */
import { Anchor, Card, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { PlainLink, PlainTable, plain } from "~/components/plain-table";
import type { UtilizationAlert } from "../utilization.server";
import css from "./billing.module.css";

const LABELS: Record<UtilizationAlert["kind"], string> = {
  exceeded: "Units exceeded",
  unauthorized: "Attending without an authorization",
  recert: "Medicare certification",
  ending: "Authorization ending",
  low: "Few units left",
  review: "Concurrent review due",
};

export function UtilizationAlertsCard({ alerts, total }: { alerts: UtilizationAlert[]; total: number }) {
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Utilization review{total ? ` (${total})` : ""}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Authorizations ending within 7 days or with 3 units or fewer left, concurrent reviews within 3 days or overdue, patients who attended in the last 7 days
        with no approved authorization for today, units exceeded, and Medicare recertifications due within 7 days or overdue.{" "}
        <Anchor component={Link} to="/billing/authorizations" size="sm">
          All authorizations
        </Anchor>
      </Text>
      {alerts.length === 0 ? (
        <Text size="sm">Nothing needs attention: every patient attending is authorized and no authorization is running out.</Text>
      ) : (
        <PlainTable
          label="Utilization review"
          columns={[{ title: "Patient" }, { title: "Alert" }, { title: "Detail" }]}
          rows={alerts.map((a, i) => ({
            key: `${a.patientId}-${a.kind}-${i}`,
            cells: [
              <>
                <PlainLink to={`/patients/${a.patientId}/coverage`}>{a.name}</PlainLink>
                <p className={`${plain.small} ${plain.dimmed}`}>{a.mrn}</p>
              </>,
              <span key="k" className={a.kind === "exceeded" || a.kind === "unauthorized" ? css.danger : undefined}>
                {LABELS[a.kind]}
              </span>,
              a.detail,
            ],
          }))}
        />
      )}
      {total > alerts.length ? (
        <Text size="sm" mt="xs">
          And {total - alerts.length} more: see the authorizations list.
        </Text>
      ) : null}
    </Card>
  );
}
