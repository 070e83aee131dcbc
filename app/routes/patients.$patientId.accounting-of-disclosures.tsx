import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { PrintPage } from "~/features/consents/components/print-page";
import { accountingOfDisclosures } from "~/features/consents/disclosures.server";
import { foundOr404 } from "~/kernel/http.server";
import { SiteAddress } from "~/features/admin/components/site-address";
import { PART2_REDISCLOSURE_NOTICE } from "~/utils/part2";
import { shortDate } from "~/kernel/time";

// The MRN, never the name: a title stays in browser history (and names the printed file).
export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Accounting of disclosures · ${d?.patient.mrn ?? "Patient"}` }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, sites, meta } = await requireUser(args, "disclose:records");
  // Printing the accounting is audited inside accountingOfDisclosures.
  const siteIds = sites.map((s) => s.id);
  return foundOr404(await accountingOfDisclosures(db, user, args.params.patientId ?? "", siteIds, meta), "There is no patient with that id at your sites.");
}

export default function AccountingOfDisclosures() {
  const a = useLoaderData<typeof loader>();
  return (
    <PrintPage back={`/patients/${a.patient.id}/disclosures`} backLabel="Back to the chart's disclosures">
      <p className="small">{PART2_REDISCLOSURE_NOTICE[0]}</p>
      <h1>Accounting of disclosures</h1>
      <dl>
        <dt>Patient</dt>
        <dd>
          {a.patient.name}, born {a.patient.dateOfBirth}, {a.patient.mrn}
        </dd>
        <dt>Program</dt>
        <dd>
          {a.program}
          {a.programAddress ? <SiteAddress address={a.programAddress} /> : null}
        </dd>
        <dt>Period</dt>
        <dd>
          {shortDate(a.from)} through {shortDate(a.to)} (the last three years)
        </dd>
      </dl>
      <p>
        Every disclosure of this patient's records made with their written consent (42 CFR § 2.25), newest first: {a.entries.length}{" "}
        {a.entries.length === 1 ? "disclosure" : "disclosures"}.
      </p>
      {a.entries.length ? (
        <table aria-label="Disclosures">
          <thead>
            <tr>
              <th>Date</th>
              <th>Recipient</th>
              <th>Purpose</th>
              <th>Information disclosed</th>
              <th>Consent</th>
              <th>By</th>
            </tr>
          </thead>
          <tbody>
            {a.entries.map((e) => (
              <tr key={e.id}>
                <td className="date">{shortDate(e.disclosedOn)}</td>
                <td>{e.recipient}</td>
                <td>{e.purpose}</td>
                <td>{e.information.join(", ")}</td>
                <td>
                  Signed <span className="date">{shortDate(e.consent.signedOn)}</span>
                  {e.consent.recipient !== e.recipient ? ` (for ${e.consent.recipient})` : ""}
                </td>
                <td>{e.disclosedBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No disclosures were made in this period.</p>
      )}
      <p className="small muted">Printed {shortDate(a.to)}. Disclosures made without consent under other sections of 42 CFR part 2 are not listed here.</p>
    </PrintPage>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
