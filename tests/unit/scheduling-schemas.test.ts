import { describe, expect, it } from "vitest";
import { AppointmentSchema, CreateTrackSchema, MoveSessionSchema, SeriesSchema, TrackMoveSchema } from "~/features/scheduling/schemas";

type Parsed = { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
const messages = (r: Parsed) => Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

const booking = (over: Record<string, string | undefined> = {}) => ({
  patientId: "p1",
  kind: "individual",
  approach: "cbt",
  facilitatorId: "u1",
  date: "2026-12-14",
  startTime: "10:00",
  durationMinutes: "50",
  modality: "in_person",
  roomId: "r1",
  weeks: "1",
  ...over,
});

describe("the booking form reports cross-field problems together with missing fields", () => {
  it("names the missing patient and the missing room (in person) in one answer", () => {
    expect(messages(AppointmentSchema.safeParse(booking({ patientId: undefined, roomId: undefined })))).toEqual({
      patientId: "Choose the patient.",
      roomId: "Choose a room, or book it as telehealth.",
    });
  });

  it("names a missing date together with a family session with nobody named and a half-filled family row", () => {
    expect(messages(AppointmentSchema.safeParse(booking({ kind: "family", approach: undefined, date: undefined, familyRelationship1: "Mother" })))).toEqual({
      date: "Enter the date.",
      familyName1: "Enter the family member's name.",
      familyName0: "Name at least one family member who will come.",
    });
  });

  it("asks for the approach of an individual session even when the start time is malformed", () => {
    expect(messages(AppointmentSchema.safeParse(booking({ approach: undefined, startTime: "25:00" })))).toEqual({
      startTime: "Enter the start time as HH:MM (24-hour).",
      approach: "Choose the approach.",
    });
  });

  it("books once, for some weeks, or weekly until discharge, and refuses more than 12 weeks", () => {
    expect(AppointmentSchema.parse(booking()).weeks).toBe(1);
    expect(AppointmentSchema.parse(booking({ weeks: "12" })).weeks).toBe(12);
    expect(AppointmentSchema.parse(booking({ weeks: "discharge" })).weeks).toBe("discharge");
    expect(messages(AppointmentSchema.safeParse(booking({ weeks: "13" })))).toEqual({ weeks: "Book at most 12 weeks, or weekly until discharge." });
    expect(messages(AppointmentSchema.safeParse(booking({ weeks: "0" })))).toEqual({ weeks: "Choose how often." });
    expect(messages(AppointmentSchema.safeParse(booking({ weeks: "soon" })))).toEqual({ weeks: "Choose how often." });
  });
});

describe("scheduling's other forms check the end against the start whatever else is wrong", () => {
  it("a track without a name or days still hears that it ends before it starts", () => {
    expect(messages(CreateTrackSchema.safeParse({ intent: "create-track", name: "", levelOfCare: "IOP", startTime: "12:00", endTime: "09:00" }))).toEqual({
      name: "Enter the track's name.",
      days: "Choose the days the track meets.",
      endTime: "It must end after it starts, on the same day.",
    });
  });

  it("a group series without a facilitator hears about its end time and its last date too", () => {
    const r = SeriesSchema.safeParse({
      title: "Evening Process",
      kind: "process",
      modality: "in_person",
      capacity: "10",
      days: ["mon"],
      startTime: "19:00",
      endTime: "18:00",
      startsOn: "2026-12-14",
      endsOn: "2026-12-01",
    });
    expect(messages(r)).toEqual({
      facilitatorId: "Choose the facilitator.",
      endTime: "It must end after it starts, on the same day.",
      endsOn: "The last date is before the first date.",
    });
  });

  it("moving a session without a date still says the end is before the start", () => {
    expect(messages(MoveSessionSchema.safeParse({ intent: "move", version: "1", startTime: "11:00", endTime: "10:00" }))).toEqual({
      date: "Enter the new date.",
      endTime: "It must end after it starts, on the same day.",
    });
  });

  it("leaves a malformed time to its own message instead of comparing it", () => {
    expect(messages(MoveSessionSchema.safeParse({ intent: "move", version: "1", date: "2026-12-14", startTime: "11:00", endTime: "9:00" }))).toEqual({
      endTime: "Enter the end time as HH:MM (24-hour).",
    });
  });

  it("a track move carries the id of the track whose hours were confirmed", () => {
    expect(TrackMoveSchema.parse({ intent: "move-track", version: "2", trackId: "t1", effectiveOn: "2026-12-14", confirmTrackHours: "t1" })).toMatchObject({
      confirmTrackHours: "t1",
    });
  });
});
