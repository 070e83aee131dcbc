import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { ProgramItemPage } from "~/features/scheduling/components/program-item-page";
import { TrackFields } from "~/features/scheduling/components/track-fields";
import { saveProgramItem } from "~/features/scheduling/program-item.server";
import { getTrack, updateTrack } from "~/features/scheduling/program.server";
import { TrackActionSchema, UpdateTrackSchema } from "~/features/scheduling/schemas";
import { foundOr404 } from "~/kernel/http.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites } = await requireUser(args, "manage:program");
  const siteIds = sites.map((s) => s.id);
  return { track: foundOr404(await getTrack(db, args.params.trackId ?? "", siteIds), "There is no such track at your sites.") };
}

export async function action(args: ActionFunctionArgs) {
  const auth = await requireUser(args, "manage:program");
  const id = args.params.trackId ?? "";
  return saveProgramItem(auth, "tracks", id, await args.request.formData(), TrackActionSchema, (v) =>
    updateTrack(auth.db, auth.user, id, v, auth.sites, auth.meta),
  );
}

export default function TrackPage() {
  const { track: t } = useLoaderData<typeof loader>();
  return (
    <ProgramItemPage
      noun="track"
      item={t}
      schema={UpdateTrackSchema}
      defaultValue={{ name: t.name, levelOfCare: t.level_of_care, days: t.days, startTime: t.start_time, endTime: t.end_time }}
      lastResult={useActionData<typeof action>()}
      fields={(fields) => <TrackFields fields={fields} />}
    />
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
