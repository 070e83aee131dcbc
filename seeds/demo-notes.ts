/**
 * The demo's progress notes (issue 20, item 10): a note for the past eight weeks of sessions
 * someone attended, written by the session's facilitator after the roll call, as a clinic has
 * them at once. Most are signed within a few hours of the group; a few were signed days later
 * (late entries); the last days' sessions are partly still drafts or not written yet, and a few
 * older ones were never written; Marcus Bell's and Elena Ortiz's notes (interns) wait for Priya
 * Raman's co-signature when recent, and are co-signed when older (one in ten older ones still
 * waits); a few signed notes carry an addendum. Group notes have their topic from the group's
 * kind (relapse prevention, DBT skills, process, life skills, MAT education, family education…)
 * and a short part for each member; individual notes are in the site's format. Each part names
 * objectives from the plan the patient had in effect at the time, and answers the risk questions.
 *
 * Written through the notes repository, as the app would (and audited), at the times it happened.
 * Deterministic choices: sessions in time order, a fixed seed; the writes of different notes run a
 * few at a time (each note's own steps in order), which keeps the seed quick on PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { addAddendum, coSignNote, noteSettings, openNote, saveEntry, saveShared, signNote } from "../app/features/notes/notes.server";
import {
  EMPTY_ENTRY,
  type EntryContent,
  type GroupShared,
  type HarmAnswer,
  type NoteFormat,
  type ObjectiveNote,
  type ObjectiveProgress,
  type Participation,
  QUICK_PHRASES,
  type UseAnswer,
} from "../app/features/notes/rules";
import { isAttended } from "../app/features/attendance/rules";
import { parsePlanContent } from "../app/features/plans/rules";
import { addDays } from "../app/kernel/time";
import type { DemoClinic } from "./demo";
import { seededRandom } from "./demo-patients";

type Rnd = ReturnType<typeof seededRandom>;
const meta = { ip: null, userAgent: "demo seed" };
const HOUR = 3_600_000;

/** What a group of each kind works on: topics, the curriculum it follows, what the facilitator did. */
export const GROUPS: Record<string, { topics: string[]; curriculum: string[]; interventions: string[] }> = {
  relapse_prevention: {
    topics: [
      "Relapse warning signs and the relapse cycle",
      "High-risk situations: people, places and things",
      "Building a written relapse prevention plan",
      "Managing cravings: urge surfing",
      "A lapse is not a relapse: the abstinence violation effect",
      "Planning for weekends and holidays",
    ],
    curriculum: ["Matrix Model, relapse prevention series", "Mindfulness-Based Relapse Prevention, week 3", "Matrix Model, relapse prevention series"],
    interventions: [
      "Psychoeducation on the relapse cycle; members mapped their own warning signs on a worksheet.",
      "Reviewed high-risk situations; role-played refusal skills in pairs.",
      "Guided urge-surfing exercise (10 minutes), followed by discussion.",
      "Members drafted or updated a relapse prevention plan and shared one item with the group.",
    ],
  },
  coping_skills: {
    topics: [
      "DBT distress tolerance: TIPP skills",
      "DBT distress tolerance: radical acceptance",
      "DBT emotion regulation: opposite action",
      "DBT mindfulness: wise mind",
      "DBT interpersonal effectiveness: DEAR MAN",
      "DBT emotion regulation: PLEASE skills",
    ],
    curriculum: [
      "DBT Skills Training (Linehan), distress tolerance module",
      "DBT Skills Training (Linehan), emotion regulation module",
      "DBT Skills Training (Linehan), interpersonal effectiveness module",
    ],
    interventions: [
      "Taught the skill with handout; practised it in the room; assigned the diary card.",
      "Reviewed diary cards; modelled the skill and coached members through a practice.",
      "Mindfulness exercise to open; skill teaching; role-play with feedback.",
    ],
  },
  process: {
    topics: [
      "Check-in and process: the week's stressors",
      "Shame and guilt in early recovery",
      "Rebuilding trust in relationships",
      "Anger and resentment",
      "Grief and loss",
      "Setting boundaries with family and friends",
    ],
    curriculum: [""],
    interventions: [
      "Facilitated check-in; used open questions and reflections to deepen the discussion; linked themes across members.",
      "Facilitated process discussion; encouraged peer feedback; redirected side conversations.",
      "Motivational interviewing techniques to explore ambivalence; summarized themes at close.",
    ],
  },
  life_skills: {
    topics: [
      "Budgeting and managing money in recovery",
      "Structuring the day: routines and sleep",
      "Job search and explaining gaps in work history",
      "Healthy eating on a budget",
      "Keeping appointments: calendars and reminders",
    ],
    curriculum: ["Program life-skills workbook", ""],
    interventions: [
      "Psychoeducation with worksheet; members built a weekly plan and shared it.",
      "Practical exercise in pairs; facilitator gave individual feedback.",
    ],
  },
  mat_education: {
    topics: [
      "How buprenorphine works, and common myths",
      "Naloxone: recognising and responding to an overdose",
      "Methadone, buprenorphine and naltrexone compared",
      "Medication and mutual-help meetings: handling stigma",
      "Taking and storing medication safely",
    ],
    curriculum: ["SAMHSA TIP 63, patient education materials", "Program MAT education series"],
    interventions: [
      "Psychoeducation with handouts; questions and answers; naloxone demonstration.",
      "Presented the topic; members discussed their own experience with medication.",
    ],
  },
  psychoeducation: {
    topics: [
      "Family education: addiction as a family disease",
      "The brain in addiction and recovery",
      "Alcohol and the body",
      "Sleep and recovery",
      "Stages of change",
      "Family education: communicating without blame",
    ],
    curriculum: ["Program psychoeducation series", "CRAFT family materials"],
    interventions: [
      "Presentation with discussion; members related the material to their own recovery.",
      "Short video and discussion; worksheet completed in the group.",
    ],
  },
  community: {
    topics: ["Community meeting: program news and peer recognition", "Community meeting: group norms and safety", "Community meeting: upcoming holidays"],
    curriculum: [""],
    interventions: ["Facilitated community meeting; recognised milestones; reviewed group norms."],
  },
};

export const PROCESS = [
  "Group was cohesive; members gave each other supportive feedback.",
  "Energy was low at the start; discussion picked up after the exercise.",
  "Members engaged well with the topic; two newer members spoke for the first time.",
  "Some tension between members early on, addressed by restating group norms; the group ended on a positive note.",
  "Productive session; most members could name how they would use the skill this week.",
];

const RESPONSE = [
  "Identified stress at work as a main trigger and named two coping strategies.",
  "Spoke about a difficult weekend and received feedback from peers.",
  "Practised the skill in the room and said it helped them slow down.",
  "Related the topic to their own cravings in the evenings.",
  "Was quiet at first, then shared about conflict at home.",
  "Offered encouragement to a newer member.",
  "Said the worksheet helped them see a pattern before past relapses.",
  "Questioned whether the skill would work for them; open to trying it.",
];
const GROUP_PLAN = [
  "Practise the skill daily and bring the diary card next group.",
  "Update the relapse prevention plan with the new trigger.",
  "Attend two mutual-help meetings before next group.",
  "Continue in group; review progress with primary counselor this week.",
  "Call sponsor or support person when cravings rise.",
];

/** An individual or family session's sections, by section key (any of DAP, BIRP and SOAP). */
const SECTIONS: Record<string, string[]> = {
  data: [
    "Patient reports {days} days abstinent. Discussed the week's stressors and a close call at a party.",
    "Patient arrived on time, well groomed. Reported improved sleep; cravings 3/10. Reviewed homework.",
    "Patient described an argument with partner and an urge to use afterwards, which passed after calling sponsor.",
    "Reviewed recent drug test results with patient; discussed medication adherence and side effects.",
  ],
  subjective: [
    'Patient says the week was "hard but okay"; reports {days} days abstinent and cravings in the evenings.',
    "Patient reports feeling more hopeful and sleeping better.",
  ],
  objective: ["Alert, oriented, mood euthymic, affect congruent. Engaged throughout.", "Appeared tired; speech normal; good eye contact."],
  behavior: ["Patient presented calm and cooperative; on time.", "Patient presented anxious, fidgeting at first, settled as session went on."],
  intervention: [
    "Used motivational interviewing to explore ambivalence about attending meetings.",
    "CBT: identified and challenged a thought that led to cravings; built a coping card.",
    "Reviewed the safety and relapse prevention plan; practised a grounding skill.",
  ],
  response: ["Patient engaged, completed the exercise and agreed to practise it.", "Patient receptive; identified one change to try this week."],
  assessment: [
    "Patient is progressing toward treatment goals; motivation remains good.",
    "Early recovery with ongoing triggers at home; coping skills are improving.",
    "Stable; insight improving. Continues to need the structure of IOP.",
  ],
  plan: [
    "Continue IOP as planned; next individual session in one week. Homework: craving log.",
    "Practise the coping card daily; review with counselor next session.",
    "Attend family session in two weeks; continue medication as prescribed.",
  ],
};

const HARM_DETAIL = "Passive thoughts after a difficult week; no plan or intent. Safety plan reviewed; patient agreed to call the crisis line if they worsen.";
const USE_DETAIL: Record<string, string[]> = {
  reported: ["Reported drinking three beers on Saturday; discussed what led up to it.", "Reported using cannabis once this week to sleep."],
  suspected: ["Smelled of alcohol on arrival; denies use. Random test requested."],
};

const ADDENDA = [
  { part: true, text: "Patient called the day after group to say the skill helped during a craving at work. Added for the record." },
  { part: true, text: "Correction: the patient's plan is to attend three (not two) mutual-help meetings this week, as agreed in group." },
  { part: false, text: "The handout used in this group was the updated version (rev. 2026). Added on review of the note." },
  { part: false, text: "Group was held in Room B, not Room A, because of maintenance." },
];

function fillDays(text: string, rnd: Rnd) {
  return text.replace("{days}", String(rnd.int(5, 60)));
}

/** The plan objectives a patient's part names: one or two from the plan in effect, with progress. */
function objectivesFor(plan: PlanObjective[] | undefined, rnd: Rnd, howMany: number): ObjectiveNote[] {
  if (!plan?.length || howMany < 1) return [];
  const start = rnd.int(0, plan.length - 1);
  const progress: ObjectiveProgress[] = ["progressing", "progressing", "progressing", "maintained", "maintained", "not_progressing", "achieved"];
  return Array.from({ length: Math.min(howMany, plan.length) }, (_, i) => {
    const o = plan[(start + i) % plan.length];
    const p = rnd.pick(progress);
    const comment =
      p === "not_progressing"
        ? "Missed the target this week; barriers discussed."
        : p === "achieved"
          ? "Met; a new objective to be set at review."
          : rnd.chance(0.5)
            ? "Reports steady effort."
            : "";
    return { key: o.key, text: o.text, progress: p, comment };
  });
}

function risk(rnd: Rnd): Pick<EntryContent, "harm" | "harmDetail" | "use" | "useDetail"> {
  const harm: HarmAnswer = rnd.chance(0.02) ? "passive" : "denied";
  const roll = rnd.next();
  const use: UseAnswer = roll < 0.06 ? "reported" : roll < 0.08 ? "suspected" : "none";
  return { harm, harmDetail: harm === "denied" ? "" : HARM_DETAIL, use, useDetail: use === "none" ? "" : rnd.pick(USE_DETAIL[use]) };
}

export function groupPart(rnd: Rnd, plan: PlanObjective[] | undefined): EntryContent {
  const participation: Participation = rnd.pick(["active", "active", "active", "moderate", "moderate", "minimal"] as const);
  const phrase = rnd.chance(0.6) ? ` ${rnd.pick(QUICK_PHRASES)}` : "";
  return {
    ...EMPTY_ENTRY,
    sections: { response: `${rnd.pick(RESPONSE)}${phrase}`, plan: rnd.pick(GROUP_PLAN) },
    participation,
    objectives: objectivesFor(plan, rnd, rnd.chance(0.5) ? 1 : 0),
    ...risk(rnd),
  };
}

function individualPart(rnd: Rnd, format: NoteFormat, plan: PlanObjective[] | undefined): EntryContent {
  const keys: Record<NoteFormat, string[]> = {
    dap: ["data", "assessment", "plan"],
    birp: ["behavior", "intervention", "response", "plan"],
    soap: ["subjective", "objective", "assessment", "plan"],
  };
  return {
    ...EMPTY_ENTRY,
    sections: Object.fromEntries(keys[format].map((k) => [k, fillDays(rnd.pick(SECTIONS[k]), rnd)])),
    objectives: objectivesFor(plan, rnd, rnd.int(1, 2)),
    ...risk(rnd),
  };
}

type PlanObjective = { key: string; text: string };

export async function seedDemoNotes(db: Kysely<Database>, clinic: DemoClinic, today: string): Promise<{ signed: number; drafts: number; missing: number }> {
  const rnd = seededRandom(2026120620);
  const siteId = clinic.siteId;
  const siteIds = [siteId];
  const supervisor = clinic.users["priya.raman"];
  const people = new Map(Object.values(clinic.users).map((u) => [u.id, { id: u.id, name: u.name, role: u.role }]));
  const { format } = await noteSettings(db, siteId);
  const now = Date.now();

  const sessions = await db
    .selectFrom("sessions")
    .select(["id", "kind", "group_kind", "title", "facilitator_id", "local_date", "starts_at", "ends_at"])
    .where("site_id", "=", siteId)
    .where("status", "=", "scheduled")
    .where("local_date", ">=", addDays(today, -56))
    .where("local_date", "<", today)
    .orderBy("starts_at")
    .orderBy("id")
    .execute();
  const marks = await db
    .selectFrom("attendance as a")
    .innerJoin("sessions as s", "s.id", "a.session_id")
    .select(["a.session_id", "a.patient_id", "a.status"])
    .where("s.site_id", "=", siteId)
    .where("s.local_date", ">=", addDays(today, -56))
    .where("s.local_date", "<", today)
    .execute();
  const attended = new Map<string, string[]>();
  for (const m of marks) if (isAttended(m.status)) attended.set(m.session_id, [...(attended.get(m.session_id) ?? []), m.patient_id]);

  // Each patient's plans that became active, to name the objectives of the plan in effect on the day.
  const plans = await db
    .selectFrom("treatment_plans")
    .select(["patient_id", "activated_at", "content"])
    .where("site_id", "=", siteId)
    .where("activated_at", "is not", null)
    .orderBy("activated_at")
    .execute();
  const plansOf = new Map<string, { from: string; objectives: PlanObjective[] }[]>();
  for (const p of plans) {
    const content = parsePlanContent(p.content);
    const objectives = content.problems.flatMap((pr, pi) => pr.objectives.map((o, oi) => ({ key: `p${pi + 1}.o${oi + 1}`, text: o.text })));
    plansOf.set(p.patient_id, [...(plansOf.get(p.patient_id) ?? []), { from: p.activated_at!, objectives }]);
  }
  const planOn = (patientId: string, at: string) => [...(plansOf.get(patientId) ?? [])].reverse().find((p) => p.from <= at)?.objectives;

  // First every choice, in session order with one seeded random source (so the demo is the same
  // every time), then the writes: notes of different sessions never touch each other, so a few are
  // written at once (each note's own steps in order), which keeps the seed quick on PostgreSQL.
  const recent = addDays(today, -3);
  const work: NoteWork[] = [];
  let missing = 0;
  let addenda = 0;
  for (const s of sessions) {
    const patients = attended.get(s.id);
    if (!patients?.length) continue;
    const person = people.get(s.facilitator_id);
    if (!person) continue;
    const author = { id: person.id, name: person.name };
    const ends = Date.parse(s.ends_at);
    // The last days' notes are partly not written or not signed yet; a few older ones never were.
    // Dana Whitfield (the program director, an admin) signs hers the same day: admins do not write
    // notes in the app ("write:notes" is a counselor's), so none of hers is left for her to finish.
    const roll = rnd.next();
    const fresh = s.local_date >= recent;
    const state =
      person.role !== "counselor"
        ? "signed"
        : fresh
          ? roll < 0.3
            ? "missing"
            : roll < 0.55
              ? "draft"
              : "signed"
          : roll < 0.03
            ? "missing"
            : roll < 0.06
              ? "draft"
              : "signed";
    const late = state === "signed" && !fresh && person.role === "counselor" && rnd.chance(0.07);
    const signAt = ends + (late ? rnd.int(26, 90) * HOUR : rnd.int(20, 300) * 60_000);
    if (state === "missing" || signAt > now) {
      missing++;
      continue;
    }
    const writeAt = state === "draft" ? ends + rnd.int(15, 90) * 60_000 : Math.min(signAt - 5 * 60_000, ends + 2 * HOUR);
    let shared: GroupShared | null = null;
    if (s.kind === "group") {
      const kind = s.title === "Community Meeting" ? GROUPS.community : (GROUPS[s.group_kind ?? ""] ?? GROUPS.psychoeducation);
      shared = {
        topic: rnd.pick(kind.topics),
        curriculum: rnd.pick(kind.curriculum),
        interventions: rnd.pick(kind.interventions),
        process: state === "draft" && rnd.chance(0.5) ? "" : rnd.pick(PROCESS),
      };
    }
    // A draft is part written: its first members' parts only.
    const writing = state === "draft" ? patients.slice(0, Math.floor(patients.length / 2)) : patients;
    const parts = writing.map((patientId) => {
      const plan = planOn(patientId, s.starts_at);
      return { patientId, content: s.kind === "group" ? groupPart(rnd, plan) : individualPart(rnd, format, plan) };
    });
    const item: NoteWork = { sessionId: s.id, author, openAt: ends - 10 * 60_000, writeAt, shared, parts, signAt: state === "signed" ? signAt : null };
    // Priya co-signs an intern's notes a day or three later; the last week's still wait, and one in ten older ones.
    const cosignAt = signAt + rnd.int(20, 72) * HOUR;
    const waits = signAt > now - 6 * 24 * HOUR || rnd.chance(0.1);
    if (item.signAt && !waits && cosignAt < now) item.cosignAt = cosignAt;
    // A few signed notes carry an addendum, a day or so later.
    const addAt = signAt + rnd.int(18, 60) * HOUR;
    if (item.signAt && rnd.chance(0.025) && addAt < now) {
      const a = ADDENDA[addenda++ % ADDENDA.length];
      item.addendum = { at: addAt, patientId: a.part ? patients[0] : null, text: a.text };
    }
    work.push(item);
  }

  const at = (ms: number) => new Date(Math.min(ms, now - 60_000));
  async function write(w: NoteWork) {
    const opened = await openNote(db, w.author, w.sessionId, siteId, meta, at(w.openAt));
    if (!opened.ok) throw new Error(`demo note refused: ${JSON.stringify(opened)}`);
    if (w.shared) {
      const r = await saveShared(db, w.author, opened.id, { version: 1, shared: w.shared }, siteId, meta, at(w.writeAt));
      if (!r.ok) throw new Error(`demo group note refused: ${JSON.stringify(r)}`);
    }
    for (const p of w.parts) {
      const r = await saveEntry(db, w.author, opened.id, p.patientId, { version: 1, content: p.content }, siteId, meta, at(w.writeAt));
      if (!r.ok) throw new Error(`demo note part refused: ${JSON.stringify(r)}`);
    }
    if (!w.signAt) return;
    const done = await signNote(db, w.author, opened.id, siteId, meta, new Date(w.signAt));
    if (!done.ok) throw new Error(`demo note signature refused: ${JSON.stringify(done)}`);
    if (done.cosignRequired && w.cosignAt && supervisor) {
      const c = await coSignNote(db, supervisor, opened.id, siteIds, meta, new Date(w.cosignAt));
      if (!c.ok) throw new Error(`demo co-signature refused: ${JSON.stringify(c)}`);
    }
    if (w.addendum) {
      const r = await addAddendum(
        db,
        w.author,
        opened.id,
        { patientId: w.addendum.patientId, text: w.addendum.text, requestKey: randomUUID() },
        siteIds,
        meta,
        new Date(w.addendum.at),
      );
      if (!r.ok) throw new Error(`demo addendum refused: ${JSON.stringify(r)}`);
    }
  }
  let next = 0;
  const workers = Array.from({ length: Math.min(CONCURRENCY, work.length) }, async () => {
    while (next < work.length) await write(work[next++]);
  });
  await Promise.all(workers);
  const signed = work.filter((w) => w.signAt).length;
  if (!signed) throw new Error("demo notes: no note was signed");
  return { signed, drafts: work.length - signed, missing };
}

/** How many notes are written at once (SQLite takes them one at a time anyway; PostgreSQL uses its pool). */
const CONCURRENCY = 6;

interface NoteWork {
  sessionId: string;
  author: { id: string; name: string };
  openAt: number;
  writeAt: number;
  shared: GroupShared | null;
  parts: { patientId: string; content: EntryContent }[];
  signAt: number | null;
  cosignAt?: number;
  addendum?: { at: number; patientId: string | null; text: string };
}
