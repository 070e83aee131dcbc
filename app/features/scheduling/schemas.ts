import { z } from "zod";
import { LEVELS_OF_CARE } from "~/features/patients/rules";
import { isCivilDate, isClockTime, WEEKDAYS } from "~/kernel/time";
import { APPROACHES, type Approach, DURATIONS, GROUP_KINDS, type GroupKind, MODALITIES, type Modality } from "./vocabulary";

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

/**
 * Cross-field checks run even when some field failed, so a refused form shows every problem at
 * once (zod 4 skips an object's refinements after a field fails unless `when` says to run them).
 * The values may then be missing or malformed: each check reads only fields that are well formed.
 */
export const EVEN_WITH_FIELD_ERRORS = { when: (payload: { value: unknown }) => typeof payload.value === "object" && payload.value !== null };

const text = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
const clockOf = (v: unknown) => (typeof v === "string" && isClockTime(v) ? v : undefined);
const dateOf = (v: unknown) => (typeof v === "string" && isCivilDate(v) ? v : undefined);

/** The end must come after the start on the same day (checked in the browser too). */
const endAfterStart = (v: { startTime?: unknown; endTime?: unknown }, ctx: z.RefinementCtx) => {
  const start = clockOf(v.startTime);
  const end = clockOf(v.endTime);
  if (start && end && end <= start) ctx.addIssue({ code: "custom", path: ["endTime"], message: "It must end after it starts, on the same day." });
};

export const CreateTrackSchema = z.object({ intent: z.literal("create-track"), ...trackFields }).superRefine(endAfterStart, EVEN_WITH_FIELD_ERRORS);
export const UpdateTrackSchema = z.object({ intent: z.literal("update"), version, ...trackFields }).superRefine(endAfterStart, EVEN_WITH_FIELD_ERRORS);

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

const seriesShape = {
  title: z.string({ error: "Enter the group's title." }).trim().min(1, "Enter the group's title.").max(100, "A title is at most 100 characters."),
  kind: z.enum(Object.keys(GROUP_KINDS) as [GroupKind, ...GroupKind[]], { error: "Choose the kind of group." }),
  trackId: optionalId,
  facilitatorId: z.string({ error: "Choose the facilitator." }).trim().min(1, "Choose the facilitator.").max(64),
  coFacilitatorId: optionalId,
  roomId: optionalId,
  modality: z.enum(Object.keys(MODALITIES) as [Modality, ...Modality[]], { error: "Choose in person, telehealth or hybrid." }),
  capacity: z.coerce
    .number({ error: "Enter the group's capacity." })
    .int("Enter a whole number.")
    .min(1, "A group needs room for at least one patient.")
    .max(60, "Check the capacity: at most 60."),
  days: trackFields.days,
  startTime: clock("start time"),
  endTime: clock("end time"),
  startsOn: civilDate("the first date"),
  autoEnroll: z
    .literal("yes")
    .optional()
    .transform((v) => v === "yes"),
  endsOn: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^\d{4}-\d{2}-\d{2}$/.test(v), "Enter the last date as a date (YYYY-MM-DD), or leave it empty."),
};

export const SeriesSchema = z.object(seriesShape).superRefine((v: { startTime?: unknown; endTime?: unknown; startsOn?: unknown; endsOn?: unknown }, ctx) => {
  endAfterStart(v, ctx);
  const first = dateOf(v.startsOn);
  const last = dateOf(v.endsOn);
  if (first && last && last < first) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "The last date is before the first date." });
}, EVEN_WITH_FIELD_ERRORS);

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
  .superRefine(endAfterStart, EVEN_WITH_FIELD_ERRORS);

/** Editing a series: everything but its first date, from now on. */
export const UpdateSeriesSchema = z
  .object({ ...seriesShape, startsOn: z.string().optional(), intent: z.literal("update"), version })
  .superRefine(endAfterStart, EVEN_WITH_FIELD_ERRORS)
  .transform(({ startsOn: _, intent: __, ...v }) => v);

export const TrackMoveSchema = z.object({
  intent: z.literal("move-track"),
  version,
  trackId: z.string({ error: "Choose the track." }).trim().min(1, "Choose the track.").max(64),
  effectiveOn: civilDate("the date of the move"),
  /** Sent by "Move anyway" after a warning that the track's hours do not fit the level of care: the id of the track confirmed. */
  confirmTrackHours: z.string().trim().max(64).optional(),
});

export const RosterAddSchema = z.object({
  intent: z.literal("add-patient"),
  patientId: z.string({ error: "Choose a patient." }).trim().min(1, "Choose a patient.").max(64),
});

export const RosterRemoveSchema = z.object({
  intent: z.literal("remove-patient"),
  patientId: z.string().trim().min(1).max(64),
  reason: z
    .string({ error: "Say why they leave this session." })
    .trim()
    .min(1, "Say why they leave this session.")
    .max(200, "Keep the reason under 200 characters."),
});

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} is at most ${max} characters.`)
    .optional()
    .transform((v) => (v ? v : undefined));

/** Up to four family members, each a name and how they are related; a half-filled row is an error. */
export const FAMILY_ROWS = [0, 1, 2, 3] as const;
type FamilyRow = (typeof FAMILY_ROWS)[number];

/** The form's field names for family row `i`. */
export const familyKeys = (i: FamilyRow) => ({ name: `familyName${i}` as const, relationship: `familyRelationship${i}` as const });
type FamilyKey = ReturnType<typeof familyKeys>["name" | "relationship"];
const familyShape = {} as Record<FamilyKey, ReturnType<typeof optionalText>>;
for (const i of FAMILY_ROWS) {
  familyShape[familyKeys(i).name] = optionalText("A name", 80);
  familyShape[familyKeys(i).relationship] = optionalText("A relationship", 40);
}
/** Family row `i` of a parsed form; either half may be blank. */
const familyRow = (v: Partial<Record<FamilyKey, unknown>>, i: FamilyRow) => ({
  name: text(v[familyKeys(i).name]),
  relationship: text(v[familyKeys(i).relationship]),
});

/** A weekly booking with no last date: kept written ahead like a group series, and ended by the patient's discharge. */
export const UNTIL_DISCHARGE = "discharge";
/** The longest weekly booking with a last date. */
export const MAX_BOOKED_WEEKS = 12;

export const AppointmentSchema = z
  .object({
    patientId: z.string({ error: "Choose the patient." }).trim().min(1, "Choose the patient.").max(64),
    kind: z.enum(["individual", "family"], { error: "Choose individual or family." }),
    approach: z.enum(Object.keys(APPROACHES) as [Approach, ...Approach[]]).optional(),
    facilitatorId: z.string({ error: "Choose the counselor." }).trim().min(1, "Choose the counselor.").max(64),
    date: civilDate("the date"),
    startTime: clock("start time"),
    durationMinutes: z.coerce
      .number({ error: "Choose how long it lasts." })
      .int()
      .refine((n) => (DURATIONS as readonly number[]).includes(n), "Choose how long it lasts."),
    modality: z.enum(["in_person", "telehealth"], { error: "Choose in person or telehealth." }),
    roomId: optionalId,
    weeks: z
      .string({ error: "Choose how often." })
      .trim()
      .transform((w, ctx): number | typeof UNTIL_DISCHARGE => {
        if (w === UNTIL_DISCHARGE) return UNTIL_DISCHARGE;
        const n = /^\d{1,3}$/.test(w) ? Number(w) : 0;
        if (n >= 1 && n <= MAX_BOOKED_WEEKS) return n;
        ctx.addIssue({
          code: "custom",
          message: n > MAX_BOOKED_WEEKS ? `Book at most ${MAX_BOOKED_WEEKS} weeks, or weekly until discharge.` : "Choose how often.",
        });
        return z.NEVER;
      }),
    ...familyShape,
  })
  .superRefine((v: Partial<Record<string, unknown>>, ctx) => {
    if (v.kind === "individual" && !v.approach) ctx.addIssue({ code: "custom", path: ["approach"], message: "Choose the approach." });
    if (v.modality === "in_person" && !v.roomId) ctx.addIssue({ code: "custom", path: ["roomId"], message: "Choose a room, or book it as telehealth." });
    let named = 0;
    for (const i of FAMILY_ROWS) {
      const { name, relationship: rel } = familyRow(v, i);
      if (name && !rel) ctx.addIssue({ code: "custom", path: [familyKeys(i).relationship], message: `Say how ${name} is related to the patient.` });
      if (rel && !name) ctx.addIssue({ code: "custom", path: [familyKeys(i).name], message: "Enter the family member's name." });
      if (name) named++;
    }
    if (v.kind === "family" && named === 0) ctx.addIssue({ code: "custom", path: ["familyName0"], message: "Name at least one family member who will come." });
  }, EVEN_WITH_FIELD_ERRORS)
  .transform((v) => {
    const familyMembers = FAMILY_ROWS.map((i) => familyRow(v, i)).filter((m): m is { name: string; relationship: string } => Boolean(m.name && m.relationship));
    return {
      patientId: v.patientId,
      kind: v.kind,
      approach: v.kind === "individual" ? v.approach : undefined,
      familyMembers: v.kind === "family" ? familyMembers : [],
      facilitatorId: v.facilitatorId,
      date: v.date,
      startTime: v.startTime,
      durationMinutes: v.durationMinutes,
      modality: v.modality,
      roomId: v.modality === "in_person" ? v.roomId : undefined,
      weeks: v.weeks,
    };
  });

/** The session page's four forms, told apart by their `intent`. */
export const SessionActionSchema = z.discriminatedUnion("intent", [RosterAddSchema, RosterRemoveSchema, CancelSessionSchema, MoveSessionSchema]);
export const SESSION_INTENTS = ["add-patient", "remove-patient", "move", "cancel"] as const;
export type SessionIntent = (typeof SESSION_INTENTS)[number];

/** Program setup adds a track or a room. */
export const ProgramSetupSchema = z.discriminatedUnion("intent", [CreateTrackSchema, CreateRoomSchema]);
/** A room's page saves it, retires it or restores it. */
export const RoomActionSchema = z.discriminatedUnion("intent", [UpdateRoomSchema, SetActiveSchema]);
/** A track's page saves it, retires it or restores it. */
export const TrackActionSchema = z.discriminatedUnion("intent", [UpdateTrackSchema, SetActiveSchema]);
