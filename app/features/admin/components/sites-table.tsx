import { Anchor } from "@mantine/core";
import { Link } from "@remix-run/react";
import { RowsTable } from "~/components/rows-table";
import type { SiteView } from "~/features/admin/sites";
import { SiteAddress } from "./site-address";

/** The admin's sites: name (to edit it), time zone and address as it prints. */
export function SitesTable({ sites }: { sites: SiteView[] }) {
  return (
    <RowsTable
      label="Sites"
      rows={sites}
      rowKey={(s) => s.id}
      columns={[
        {
          title: "Site",
          cell: (s) => (
            <Anchor component={Link} to={`/admin/sites/${s.id}`}>
              {s.name}
            </Anchor>
          ),
        },
        { title: "Time zone", cell: (s) => s.timeZone.replaceAll("_", " ") },
        { title: "Address", cell: (s) => <SiteAddress address={s.address} empty="No address yet" /> },
      ]}
    />
  );
}
