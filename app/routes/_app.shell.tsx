/**
 * The signed-in app shell with nothing in its content area: the floor every page's speed is
 * measured against (`npm run bench`). It asks for the same sign-in as Home and renders no data.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireUser } from "~/features/auth/guard.server";

export const meta: MetaFunction = () => [{ title: "IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, "read:home");
  return null;
}

export default function EmptyShell() {
  return null;
}
