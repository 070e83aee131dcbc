/**
 * The progress-note reports (issue 20, item 5): how long clinicians take to sign their notes, and
 * which held sessions someone attended without a signed note for them. Neither shows a word of a
 * note: only dates, titles, names of staff, and counts.
 */
import { sql } from "kysely";
import { percent, type ReportDefinition } from "~/features/reports/report";
import { addDays, shortDate, startOfDayUtc } from "~/kernel/time";
import { lagHours, median, NOTE_STATE_LABELS, noteState } from "./rules";
import { ATTENDED_STATUSES } from "./worklist.server";

/** Hours with one decimal. */
const oneDecimal = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

export interface SignedNote {
  clinicianId: string;
  clinician: string;
  endsAt: string;
  signedAt: string;
  late: boolean;
}

export interface LagRow {
  clinicianId: string;
  clinician: string;
  signed: number;
  medianHours: number | null;
  late: number;
  lateShare: number | null;
  unsigned: number;
}

/** Per clinician: notes signed, the median hours from the session's end to the signature, late entries, and notes still unsigned. */
export function lagRows(signed: readonly SignedNote[], unsigned: readonly { clinicianId: string; clinician: string }[]): LagRow[] {
  const by = new Map<string, { clinician: string; lags: number[]; late: number; unsigned: number }>();
  const of = (id: string, name: string) => {
    let r = by.get(id);
    if (!r) by.set(id, (r = { clinician: name, lags: [], late: 0, unsigned: 0 }));
    return r;
  };
  for (const n of signed) {
    const r = of(n.clinicianId, n.clinician);
    r.lags.push(lagHours(n.endsAt, n.signedAt));
    if (n.late) r.late++;
  }
  for (const u of unsigned) of(u.clinicianId, u.clinician).unsigned++;
  return [...by]
    .map(([id, r]) => ({
      clinicianId: id,
      clinician: r.clinician,
      signed: r.lags.length,
      medianHours: oneDecimal(median(r.lags)),
      late: r.late,
      lateShare: percent(r.late, r.lags.length),
      unsigned: r.unsigned,
    }))
    .sort((a, b) => a.clinician.localeCompare(b.clinician) || a.clinicianId.localeCompare(b.clinicianId));
}

export const noteCompletionLag: ReportDefinition = {
  id: "note-completion-lag",
  title: "Note completion lag",
  description:
    "Per clinician, notes signed in the range, the median hours from the session's end to the signature, the share signed late, and notes still unsigned.",
  definition: [
    "Signed: progress and group notes whose author signed them on a day in the range (the site's local date of the signature), counted under the clinician who signed.",
    "Lag: hours from the session's scheduled end to the author's signature; the median is the middle value (the mean of the middle two for an even count), to one decimal.",
    "Late: signed more than the site's late-entry hours after the session ended (24 unless changed in the notes settings), as recorded when the note was signed (CMS Program Integrity Manual ch. 3 §3.3.2.5: delayed entries are identified as such). The share is of the notes signed.",
    "Still unsigned: sessions dated in the range that have ended, where someone was marked present, late or left early, and whose note is not started or not signed, counted under the session's facilitator.",
    "Filters: the counselor filter (and a counselor's own view) keeps that clinician's row; the track filter keeps sessions of that track. A co-signature does not change the lag: it measures the author's signature.",
  ],
  async compute(db, p) {
    const fromInstant = startOfDayUtc(p.from, p.timeZone);
    const toInstant = startOfDayUtc(addDays(p.to, 1), p.timeZone);
    let signedQ = db
      .selectFrom("notes as n")
      .innerJoin("sessions as s", "s.id", "n.session_id")
      .innerJoin("users as u", "u.id", "n.signed_by")
      .select(["n.signed_by", "u.name", "n.session_ends_at", "n.signed_at", "n.late_entry"])
      .where("n.site_id", "=", p.siteId)
      .where("n.signed_at", ">=", fromInstant)
      .where("n.signed_at", "<", toInstant)
      // A note is signed after its session, so its session is no later than the range's end.
      .where("n.local_date", "<=", p.to);
    let unsignedQ = db
      .selectFrom("sessions as s")
      .innerJoin("users as u", "u.id", "s.facilitator_id")
      .leftJoin("notes as n", "n.session_id", "s.id")
      .select(["s.facilitator_id", "u.name"])
      .where("s.site_id", "=", p.siteId)
      .where("s.starts_at", ">=", fromInstant)
      .where("s.starts_at", "<", toInstant)
      .where("s.ends_at", "<=", new Date().toISOString())
      .where("s.status", "!=", "cancelled")
      .where("n.signed_at", "is", null)
      .where((eb) =>
        eb.exists(eb.selectFrom("attendance as a").select("a.id").whereRef("a.session_id", "=", "s.id").where("a.status", "in", ATTENDED_STATUSES)),
      );
    if (p.counselorId) {
      signedQ = signedQ.where("n.signed_by", "=", p.counselorId);
      unsignedQ = unsignedQ.where("s.facilitator_id", "=", p.counselorId);
    }
    if (p.trackId) {
      signedQ = signedQ.where("s.track_id", "=", p.trackId);
      unsignedQ = unsignedQ.where("s.track_id", "=", p.trackId);
    }
    const [signed, unsigned] = await Promise.all([signedQ.execute(), unsignedQ.execute()]);
    const rows = lagRows(
      signed.map((n) => ({
        clinicianId: n.signed_by!,
        clinician: n.name,
        endsAt: n.session_ends_at,
        signedAt: n.signed_at!,
        late: Number(n.late_entry) === 1,
      })),
      unsigned.map((u) => ({ clinicianId: u.facilitator_id, clinician: u.name })),
    );
    const all = signed.map((n) => lagHours(n.session_ends_at, n.signed_at!));
    const late = signed.filter((n) => Number(n.late_entry) === 1).length;
    return {
      columns: [
        { key: "clinician", label: "Clinician" },
        { key: "signed", label: "Notes signed", kind: "number" },
        { key: "medianHours", label: "Median hours to sign", kind: "number" },
        { key: "late", label: "Signed late", kind: "number" },
        { key: "lateShare", label: "Share signed late (%)", kind: "percent" },
        { key: "unsigned", label: "Still unsigned", kind: "number" },
      ],
      rows: rows.map(({ clinicianId: _id, ...r }) => r),
      summary: signed.length
        ? `${signed.length} notes signed from ${shortDate(p.from)} to ${shortDate(p.to)}, a median of ${oneDecimal(median(all))} hours after the session; ${late} (${percent(late, signed.length)}%) late. ${unsigned.length} still unsigned.`
        : `No notes signed in the range; ${unsigned.length} still unsigned.`,
      chart: {
        type: "bar",
        dataKey: "clinician",
        series: [{ name: "medianHours", label: "Median hours to sign", color: "indigo.6" }],
        unit: " h",
      },
    };
  },
};

export const undocumentedSessions: ReportDefinition = {
  id: "undocumented-sessions",
  title: "Undocumented sessions",
  description: "Held sessions where someone attended but has no signed note for it: no note, an unsigned draft, or a signed note without their part.",
  definition: [
    "A session is listed when it is dated in the range, has ended, was not cancelled, and at least one patient marked present, late or left early is not documented by its note.",
    "A patient is documented by a session's note when the note is signed by its author (a note waiting for a supervisor's co-signature is signed and counts) and has that patient's own part. No note, an unsigned draft, or a signed note without their part leaves them undocumented.",
    "Attended: patients marked present, late or left early. Undocumented: those of them without a signed part. No clinical text is shown.",
    "Filters: the counselor filter (and a counselor's own view) keeps sessions that counselor facilitated or co-facilitated and patients on their caseload; the track filter keeps patients whose current track is that track.",
  ],
  async compute(db, p) {
    let q = db
      .selectFrom("attendance as a")
      .innerJoin("sessions as s", "s.id", "a.session_id")
      .innerJoin("patients as pt", "pt.id", "a.patient_id")
      .innerJoin("users as f", "f.id", "s.facilitator_id")
      .leftJoin("notes as n", "n.session_id", "s.id")
      .leftJoin("note_entries as e", (j) => j.onRef("e.note_id", "=", "n.id").onRef("e.patient_id", "=", "a.patient_id"))
      .select([
        "s.id",
        "s.title",
        "s.local_date",
        "s.starts_at",
        "f.name as facilitator",
        "n.id as note_id",
        "n.signed_at",
        "n.cosign_required",
        "n.cosigned_at",
        sql<number>`count(*)`.as("attended"),
        sql<number>`sum(case when n.signed_at is not null and e.id is not null then 0 else 1 end)`.as("undocumented"),
      ])
      .where("s.site_id", "=", p.siteId)
      .where("a.local_date", ">=", p.from)
      .where("a.local_date", "<=", p.to)
      .where("a.status", "in", ATTENDED_STATUSES)
      .where("s.status", "!=", "cancelled")
      .where("s.ends_at", "<=", new Date().toISOString())
      .groupBy(["s.id", "s.title", "s.local_date", "s.starts_at", "f.name", "n.id", "n.signed_at", "n.cosign_required", "n.cosigned_at"]);
    if (p.trackId) q = q.where("pt.track_id", "=", p.trackId);
    if (p.counselorId) {
      const c = p.counselorId;
      q = q.where((eb) => eb.or([eb("s.facilitator_id", "=", c), eb("s.co_facilitator_id", "=", c), eb("pt.primary_counselor_id", "=", c)]));
    }
    const all = await q.orderBy("s.local_date").orderBy("s.starts_at").execute();
    const open = all.filter((r) => Number(r.undocumented) > 0);
    const rows = open.map((r) => ({
      date: r.local_date,
      title: r.title,
      facilitator: r.facilitator,
      attended: Number(r.attended),
      undocumented: Number(r.undocumented),
      note: r.note_id
        ? NOTE_STATE_LABELS[noteState({ signedAt: r.signed_at, cosignRequired: Number(r.cosign_required) === 1, cosignedAt: r.cosigned_at })]
        : NOTE_STATE_LABELS.missing,
    }));
    const patients = rows.reduce((n, r) => n + r.undocumented, 0);
    return {
      columns: [
        { key: "date", label: "Date", kind: "date" },
        { key: "title", label: "Session" },
        { key: "facilitator", label: "Facilitator" },
        { key: "attended", label: "Patients attended", kind: "number" },
        { key: "undocumented", label: "Patients undocumented", kind: "number" },
        { key: "note", label: "Note" },
      ],
      rows,
      summary: `${rows.length} of ${all.length} held sessions with someone attending are not fully documented (${patients} patient-sessions without a signed note).`,
    };
  },
};
