import { PART2_DISCLOSURE_NOTICE, PART2_REDISCLOSURE_NOTICE } from "~/utils/part2";
import type { DisclosureContent } from "../disclosures.server";
import { SiteAddress } from "~/features/admin/components/site-address";
import { PrintPage } from "./print-page";
import { shortDate, shortDateOr } from "~/kernel/time";

export interface DisclosedDocument {
  id: string;
  patientId: string;
  recipient: string;
  purpose: string;
  disclosedOn: string;
  disclosedBy: string;
  information: string[];
  notice: string;
  content: DisclosureContent;
}

/** The notice as the regulation words it, from the text stored with the disclosure. */
function Notice({ text }: { text: string }) {
  const lines = text.split("\n");
  const conditions = lines.filter((l) => /^\([A-Z]\) /.test(l));
  const before = lines.slice(0, lines.indexOf(conditions[0] ?? ""));
  const after = lines.slice(lines.indexOf(conditions[conditions.length - 1] ?? "") + 1);
  return (
    <section className="notice" aria-label={PART2_DISCLOSURE_NOTICE.title}>
      <p>
        <b>{PART2_DISCLOSURE_NOTICE.title}</b>
      </p>
      {(conditions.length ? before : lines).map((l) => (
        <p key={l}>{l}</p>
      ))}
      {conditions.length ? (
        <ol>
          {conditions.map((c) => (
            <li key={c}>{c.slice(4)}</li>
          ))}
        </ol>
      ) : null}
      {conditions.length ? after.map((l) => <p key={l}>{l}</p>) : null}
    </section>
  );
}

/** A disclosed document as it was produced: the § 2.32 notice, the consent it was made under and the records. */
export function DisclosureDocument({ d }: { d: DisclosedDocument }) {
  const c = d.content;
  return (
    <PrintPage back={`/patients/${d.patientId}/disclosures`} backLabel="Back to the chart's disclosures">
      <Notice text={d.notice} />
      <h1>Patient summary</h1>
      <dl>
        <dt>From</dt>
        <dd>
          {c.program}
          {c.programAddress ? <SiteAddress address={c.programAddress} /> : null}
        </dd>
        <dt>To</dt>
        <dd>{d.recipient}</dd>
        <dt>Purpose</dt>
        <dd>{d.purpose}</dd>
        <dt>Disclosed</dt>
        <dd>
          {shortDate(d.disclosedOn)} by {d.disclosedBy}
        </dd>
        <dt>Patient</dt>
        <dd>
          {c.patient.name}, born {shortDate(c.patient.dateOfBirth)}, {c.patient.mrn}
        </dd>
        <dt>Records</dt>
        <dd>
          {shortDate(c.period.from)} through {shortDate(c.period.to)}
        </dd>
        <dt>Includes</dt>
        <dd>{d.information.join(", ")}</dd>
      </dl>

      <h2>Consent this disclosure is made under</h2>
      <p>
        Signed {shortDate(c.consent.signedOn)} by {c.consent.signedBy.toLowerCase() === "the patient" ? "the patient" : c.consent.signedBy}. It lets{" "}
        {c.consent.disclosingParty} disclose {c.consent.information.toLowerCase()} to{" "}
        {c.consent.general ? `the general designation "${c.consent.recipient}"` : c.consent.recipient} for {c.consent.purposes.toLowerCase()}. It ends{" "}
        {c.consent.expiry}, and the patient may revoke it at any time.
      </p>

      {c.attendance ? (
        <>
          <h2>Attendance</h2>
          {c.attendance.sessions.length === 0 ? (
            <p>No sessions were marked in this period.</p>
          ) : (
            <>
              <p>{c.attendance.totalHours} hours attended. By week (Monday to Sunday):</p>
              <table aria-label="Attendance by week">
                <thead>
                  <tr>
                    <th>Week of</th>
                    <th>Sessions attended</th>
                    <th>Absences</th>
                    <th>Hours</th>
                  </tr>
                </thead>
                <tbody>
                  {c.attendance.weeks.map((w) => (
                    <tr key={w.weekOf}>
                      <td className="date">{shortDate(w.weekOf)}</td>
                      <td>{w.attended}</td>
                      <td>{w.absent}</td>
                      <td>{w.hours}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <table aria-label="Sessions">
                <thead>
                  <tr>
                    <th>Date</th>
                    <th>Session</th>
                    <th>Attendance</th>
                    <th>How</th>
                    <th>Hours</th>
                  </tr>
                </thead>
                <tbody>
                  {c.attendance.sessions.map((s, i) => (
                    <tr key={`${s.date}-${i}`}>
                      <td className="date">{shortDate(s.date)}</td>
                      <td>{s.session}</td>
                      <td>{s.status}</td>
                      <td>{s.mode}</td>
                      <td>{s.hours}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      ) : null}

      {c.drugTests ? (
        <>
          <h2>Drug-test results</h2>
          {c.drugTests.length === 0 ? (
            <p>No drug tests in this period.</p>
          ) : (
            <table aria-label="Drug-test results">
              <thead>
                <tr>
                  <th>Date</th>
                  <th>Reason</th>
                  <th>Specimen</th>
                  <th>Result</th>
                  <th>Positive for</th>
                </tr>
              </thead>
              <tbody>
                {c.drugTests.map((t, i) => (
                  <tr key={`${t.date}-${i}`}>
                    <td className="date">{shortDate(t.date)}</td>
                    <td>{t.reason}</td>
                    <td>{t.specimen}</td>
                    <td>{t.outcome}</td>
                    <td>{t.positives.join("; ") || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}

      {c.levelOfCare ? (
        <>
          <h2>Level of care and dates of treatment</h2>
          <ul>
            {c.levelOfCare.episodes.map((e) => (
              <li key={e.admittedOn}>
                Admitted {shortDate(e.admittedOn)}
                {e.dischargedOn ? `, discharged ${shortDate(e.dischargedOn)}` : ", in treatment"}
              </li>
            ))}
          </ul>
          <table aria-label="Level of care">
            <thead>
              <tr>
                <th>From</th>
                <th>Level of care</th>
              </tr>
            </thead>
            <tbody>
              {c.levelOfCare.levels.map((l, i) => (
                <tr key={`${l.from}-${i}`}>
                  <td className="date">{shortDate(l.from)}</td>
                  <td>{l.level}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}

      {c.diagnoses ? (
        <>
          <h2>Diagnoses</h2>
          {c.diagnoses.length === 0 ? (
            <p>No diagnoses recorded for this period.</p>
          ) : (
            <table aria-label="Diagnoses">
              <thead>
                <tr>
                  <th>ICD-10-CM</th>
                  <th>Description</th>
                  <th>Onset</th>
                  <th>Resolved</th>
                </tr>
              </thead>
              <tbody>
                {c.diagnoses.map((x) => (
                  <tr key={x.code}>
                    <td>{x.code}</td>
                    <td>{x.description}</td>
                    <td>{shortDateOr(x.onsetOn)}</td>
                    <td>{shortDateOr(x.resolvedOn)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}

      {c.medications ? (
        <>
          <h2>Medications (MAT)</h2>
          {c.medications.length === 0 ? (
            <p>No medication for addiction treatment in this period.</p>
          ) : (
            <table aria-label="Medications">
              <thead>
                <tr>
                  <th>Medication</th>
                  <th>Dose and schedule</th>
                  <th>Started</th>
                  <th>Ended</th>
                </tr>
              </thead>
              <tbody>
                {c.medications.map((m, i) => (
                  <tr key={`${m.medication}-${i}`}>
                    <td>{m.medication}</td>
                    <td>
                      {m.dose}, {m.schedule}
                    </td>
                    <td>{shortDate(m.startedOn)}</td>
                    <td>{shortDateOr(m.endedOn, "ongoing")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}

      {c.dischargeSummary ? (
        <>
          <h2>Discharge summary</h2>
          {c.dischargeSummary.length === 0 ? (
            <p>Not discharged in this period.</p>
          ) : (
            c.dischargeSummary.map((s) => (
              <dl key={s.dischargedOn}>
                <dt>Discharged</dt>
                <dd>{shortDate(s.dischargedOn)}</dd>
                <dt>Reason</dt>
                <dd>{s.reason}</dd>
                <dt>Recommended next</dt>
                <dd>{s.nextLevel}</dd>
                <dt>Aftercare</dt>
                <dd>{s.aftercare.length ? s.aftercare.join("; ") : "none recorded"}</dd>
              </dl>
            ))
          )}
        </>
      ) : null}

      {c.progressNotes ? (
        <>
          <h2>Progress notes</h2>
          {c.progressNotes.length === 0 ? (
            <p>No signed progress notes in this period.</p>
          ) : (
            <>
              <p className="small muted">Group notes show the group&apos;s shared part and this patient&apos;s own part only.</p>
              {c.progressNotes.map((n, i) => (
                <section key={`${n.date}-${i}`} aria-label={`Progress note ${shortDate(n.date)}`}>
                  <h3>
                    {shortDate(n.date)} · {n.session}
                  </h3>
                  <dl>
                    <dt>Session</dt>
                    <dd>
                      {n.kind}, {n.when}, with {n.facilitators}
                    </dd>
                    <dt>Attended</dt>
                    <dd>{n.attended}</dd>
                    <dt>Signed</dt>
                    <dd>
                      {n.signed}
                      {n.lateEntry ? " (late entry)" : ""}
                    </dd>
                    {n.cosigned ? (
                      <>
                        <dt>Co-signed</dt>
                        <dd>{n.cosigned}</dd>
                      </>
                    ) : null}
                    {[...n.shared, ...n.part].map((f) => (
                      <div key={f.label} style={{ display: "contents" }}>
                        <dt>{f.label}</dt>
                        <dd style={{ whiteSpace: "pre-wrap" }}>{f.text || "—"}</dd>
                      </div>
                    ))}
                    {n.objectives.length ? (
                      <>
                        <dt>Objectives</dt>
                        <dd>{n.objectives.map((o) => `${o.text}: ${o.progress}${o.comment ? ` (${o.comment})` : ""}`).join("; ")}</dd>
                      </>
                    ) : null}
                    {n.addenda.map((a, j) => (
                      <div key={j} style={{ display: "contents" }}>
                        <dt>Addendum</dt>
                        <dd style={{ whiteSpace: "pre-wrap" }}>
                          {a.text} — {a.signed}
                        </dd>
                      </div>
                    ))}
                  </dl>
                </section>
              ))}
            </>
          )}
        </>
      ) : null}

      {c.counselingNotes ? (
        <>
          <h2>SUD counseling notes</h2>
          <p className="small muted">Disclosed under a consent that names SUD counseling notes alone (42 CFR § 2.31(b)).</p>
          {c.counselingNotes.map((n, i) => (
            <dl key={i}>
              <dt>Written</dt>
              <dd>
                {n.written} by {n.author}
              </dd>
              <dt>Note</dt>
              <dd style={{ whiteSpace: "pre-wrap" }}>{n.text}</dd>
            </dl>
          ))}
        </>
      ) : null}

      <p className="small muted">
        {PART2_REDISCLOSURE_NOTICE[0]} Disclosure {d.id}.
      </p>
    </PrintPage>
  );
}
