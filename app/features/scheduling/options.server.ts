/**
 * Choices the scheduling forms offer (patients, rooms, tracks, counselors), as picker options:
 * one place for what each option says.
 */
import { counselorsAt, openPatientsForPicker } from "~/features/patients/patients.server";
import type { DB } from "~/kernel/db";
import { listRooms, listTracks } from "./program.server";

const roomOption = (r: { id: string; name: string; capacity: number }) => ({ value: r.id, label: `${r.name} — holds ${r.capacity}` });

/** Active rooms as a picker's options, with what each holds. */
export async function roomOptions(db: DB, siteId: string) {
  const rooms = await listRooms(db, siteId);
  return rooms.filter((r) => r.active).map(roomOption);
}

/** Open patients at the site as a picker's options ("Last, First · MRN"), leaving out `except`. */
export async function patientOptions(db: DB, siteId: string, except: Set<string> = new Set()) {
  const patients = await openPatientsForPicker(db, siteId);
  return patients.filter((p) => !except.has(p.id)).map((p) => ({ value: p.id, label: `${p.name} · ${p.mrn}` }));
}

/**
 * A group series' choices: active tracks and rooms (and, for an existing group, the retired track
 * or room it still uses, which stays choosable) and the site's counselors.
 */
export async function seriesOptions(db: DB, siteId: string, keep: { trackId?: string | null; roomId?: string | null } = {}) {
  const [tracks, rooms, people] = await Promise.all([listTracks(db, siteId), listRooms(db, siteId), counselorsAt(db, [siteId])]);
  return {
    tracks: tracks.filter((t) => t.active || t.id === keep.trackId).map((t) => ({ value: t.id, label: `${t.name} (${t.level_of_care})` })),
    rooms: rooms.filter((r) => r.active || r.id === keep.roomId).map(roomOption),
    people: people.map((p) => ({ value: p.id, label: p.name })),
  };
}
