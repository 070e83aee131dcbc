import { Anchor, Text } from "@mantine/core";
import { Link } from "@remix-run/react";

/** A patient in a list: the name (linked to their drug tests when `linked`), then the MRN in grey. */
export function PatientCell({ patientId, name, mrn, linked = false }: { patientId: string; name: string; mrn: string; linked?: boolean }) {
  return (
    <>
      {linked ? (
        <Anchor component={Link} to={`/patients/${patientId}/drug-tests`}>
          {name}
        </Anchor>
      ) : (
        name
      )}{" "}
      <Text span size="xs" c="dimmed">
        {mrn}
      </Text>
    </>
  );
}
