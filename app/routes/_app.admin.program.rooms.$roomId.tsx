import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { ProgramItemPage } from "~/features/scheduling/components/program-item-page";
import { RoomFields } from "~/features/scheduling/components/room-fields";
import { saveProgramItem } from "~/features/scheduling/program-item.server";
import { getRoom, updateRoom } from "~/features/scheduling/program.server";
import { RoomActionSchema, UpdateRoomSchema } from "~/features/scheduling/schemas";
import { foundOr404 } from "~/kernel/http.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites } = await requireUser(args, "manage:program");
  const siteIds = sites.map((s) => s.id);
  return { room: foundOr404(await getRoom(db, args.params.roomId ?? "", siteIds), "There is no such room at your sites.") };
}

export async function action(args: ActionFunctionArgs) {
  const auth = await requireUser(args, "manage:program");
  const id = args.params.roomId ?? "";
  const siteIds = auth.sites.map((s) => s.id);
  return saveProgramItem(auth, "rooms", id, await args.request.formData(), RoomActionSchema, (v) => updateRoom(auth.db, auth.user, id, v, siteIds, auth.meta));
}

export default function RoomPage() {
  const { room } = useLoaderData<typeof loader>();
  return (
    <ProgramItemPage
      noun="room"
      item={room}
      schema={UpdateRoomSchema}
      defaultValue={{ name: room.name, capacity: String(room.capacity) }}
      lastResult={useActionData<typeof action>()}
      fields={(fields) => <RoomFields fields={fields} />}
    />
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
