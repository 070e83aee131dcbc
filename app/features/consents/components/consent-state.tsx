import { Badge } from "@mantine/core";
import type { ConsentState } from "../rules";
import { shortDate } from "~/kernel/time";

/** Active, revoked or expired: the word is on the badge, never only its color. */
export function ConsentStateBadge({ state }: { state: ConsentState }) {
  if (state.active)
    return (
      <Badge color="teal" variant="light" tt="none">
        Active
      </Badge>
    );
  if (state.state === "revoked")
    return (
      <Badge color="red" variant="light" tt="none">
        Revoked {shortDate(state.since)}
      </Badge>
    );
  if (state.state === "expired")
    return (
      <Badge color="gray" variant="light" tt="none">
        Expired {shortDate(state.since)}
      </Badge>
    );
  return (
    <Badge color="gray" variant="light" tt="none">
      Signed {shortDate(state.since)}
    </Badge>
  );
}
