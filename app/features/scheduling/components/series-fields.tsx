import type { FieldMetadata } from "@conform-to/react";
import { Group, SimpleGrid, Stack } from "@mantine/core";
import { CheckboxField, DateField, SelectField, TextField, optional } from "~/components/form-fields";
import { WeekdaysField } from "./weekdays-field";
import { GROUP_KINDS, MODALITIES } from "../vocabulary";

type Option = { value: string; label: string };
type F = FieldMetadata<string>;

interface SeriesFieldsProps {
  fields: {
    title: F;
    kind: F;
    trackId: F;
    modality: F;
    facilitatorId: F;
    coFacilitatorId: F;
    roomId: F;
    capacity: FieldMetadata<unknown>;
    days: FieldMetadata<string[]>;
    startTime: F;
    endTime: F;
    startsOn?: F;
    endsOn: F;
    autoEnroll: F;
  };
  options: { tracks: Option[]; rooms: Option[]; people: Option[] };
  /** A new series asks for its first date; an existing one keeps it. */
  withFirstDate?: boolean;
}

/** What a group series is: title, kind, track, who leads it, where, how many, and its weekly pattern. */
export function SeriesFields({ fields, options, withFirstDate = false }: SeriesFieldsProps) {
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextField field={fields.title} label="Title" placeholder="e.g. Relapse Prevention" required autoComplete="off" />
        <SelectField field={fields.kind} label="Kind" options={GROUP_KINDS} required />
        <SelectField field={fields.trackId} label={optional("Track")} options={options.tracks} placeholder="No track (open group)" allowEmpty />
        <SelectField field={fields.modality} label="Modality" options={MODALITIES} required />
        <SelectField field={fields.facilitatorId} label="Facilitator" options={options.people} required />
        <SelectField field={fields.coFacilitatorId} label={optional("Co-facilitator")} options={options.people} placeholder="None" allowEmpty />
        <SelectField
          field={fields.roomId}
          label="Room"
          options={options.rooms}
          description="Not needed for telehealth."
          placeholder="No room (telehealth)"
          allowEmpty
        />
        <TextField field={fields.capacity} label="Capacity" type="number" min={1} required w={140} />
      </SimpleGrid>
      <CheckboxField
        field={fields.autoEnroll}
        label="Enroll the track's patients automatically"
        description="Everyone in the track goes on the roster of each future session; patients who join the track later are added from then on."
      />
      <WeekdaysField field={fields.days} />
      <Group align="flex-start">
        <TextField field={fields.startTime} label="Starts at" type="time" required w={160} />
        <TextField field={fields.endTime} label="Ends at" type="time" required w={160} />
        {withFirstDate && fields.startsOn ? <DateField field={fields.startsOn} label="First date" required /> : null}
        <DateField field={fields.endsOn} label={optional("Last date")} />
      </Group>
    </Stack>
  );
}
