import { z } from "zod";
import { LEVELS_OF_CARE } from "~/features/patients/rules";
import { WEEKDAYS } from "./rules";
import { GROUP_KINDS, type GroupKind, MODALITIES, type Modality } from "./vocabulary";

const name = (what: string) =>
  z
    .string({ error: `Enter the ${what}'s name.` })
    .trim()
    .min(1, `Enter the ${what}'s name.`)
    .max(80, `A ${what} name is at most 80 characters.`);

const clock = (label: string) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, `Enter the ${label} as HH:MM (24-hour).`);

const version = z.coerce.number({ error: "The form is out of date; reload the page." }).int().min(1);

export const trackFields = {
  name: name("track"),
  levelOfCare: z.enum(LEVELS_OF_CARE, { error: "Choose the level of care the track serves." }),
  days: z.array(z.enum(WEEKDAYS), { error: "Choose the days the track meets." }).min(1, "Choose the days the track meets.").max(7),
  startTime: clock("start time"),
  endTime: clock("end time"),
};

/** The end must come after the start on the same day (checked in the browser too). */
const endAfterStart = (v: { startTime: string; endTime: string }, ctx: z.RefinementCtx) => {
  if (v.endTime <= v.startTime) ctx.addIssue({ code: "custom", path: ["endTime"], message: "It must end after it starts, on the same day." });
};

export const CreateTrackSchema = z.object({ intent: z.literal("create-track"), ...trackFields }).superRefine(endAfterStart);
export const UpdateTrackSchema = z.object({ intent: z.literal("update"), version, ...trackFields }).superRefine(endAfterStart);

export const roomFields = {
  name: name("room"),
  capacity: z.coerce
    .number({ error: "Enter how many people the room holds." })
    .int("Enter a whole number of people.")
    .min(1, "A room holds at least one person.")
    .max(500, "Check the capacity: at most 500."),
};

export const CreateRoomSchema = z.object({ intent: z.literal("create-room"), ...roomFields });
export const UpdateRoomSchema = z.object({ intent: z.literal("update"), version, ...roomFields });

export const SetActiveSchema = z.object({ intent: z.enum(["deactivate", "reactivate"]), version });

const civilDate = (label: string) =>
  z
    .string({ error: `Enter ${label}.` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter ${label} as a date (YYYY-MM-DD).`);

const optionalId = z
  .string()
  .trim()
  .max(64)
  .optional()
  .transform((v) => (v ? v : undefined));

export const SeriesSchema = z
  .object({
    title: z.string({ error: "Enter the group's title." }).trim().min(1, "Enter the group's title.").max(100, "A title is at most 100 characters."),
    kind: z.enum(Object.keys(GROUP_KINDS) as [GroupKind, ...GroupKind[]], { error: "Choose the kind of group." }),
    trackId: optionalId,
    facilitatorId: z.string({ error: "Choose the facilitator." }).trim().min(1, "Choose the facilitator.").max(64),
    coFacilitatorId: optionalId,
    roomId: optionalId,
    modality: z.enum(Object.keys(MODALITIES) as [Modality, ...Modality[]], { error: "Choose in person, telehealth or hybrid." }),
    capacity: z.coerce.number({ error: "Enter the group's capacity." }).int("Enter a whole number.").min(1, "A group needs room for at least one patient.").max(60, "Check the capacity: at most 60."),
    days: trackFields.days,
    startTime: clock("start time"),
    endTime: clock("end time"),
    startsOn: civilDate("the first date"),
    endsOn: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || /^\d{4}-\d{2}-\d{2}$/.test(v), "Enter the last date as a date (YYYY-MM-DD), or leave it empty."),
  })
  .superRefine((v, ctx) => {
    endAfterStart(v, ctx);
    if (v.endsOn && v.endsOn < v.startsOn) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "The last date is before the first date." });
  });

export const CancelSessionSchema = z.object({
  intent: z.literal("cancel"),
  version,
  reason: z.string({ error: "Say why it is cancelled." }).trim().min(1, "Say why it is cancelled.").max(300, "Keep the reason under 300 characters."),
});

export const MoveSessionSchema = z
  .object({
    intent: z.literal("move"),
    version,
    date: civilDate("the new date"),
    startTime: clock("start time"),
    endTime: clock("end time"),
    roomId: optionalId,
  })
  .superRefine(endAfterStart);
