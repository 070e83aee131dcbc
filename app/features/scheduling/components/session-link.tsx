import { Anchor, Badge } from "@mantine/core";
import { Link } from "@remix-run/react";

/** A session's title linking to its page; a cancelled one is struck through. */
export function SessionLink({ id, title, cancelled }: { id: string; title: string; cancelled: boolean }) {
  return (
    <Anchor component={Link} to={`/schedule/sessions/${id}`} fw={600} td={cancelled ? "line-through" : undefined}>
      {title}
    </Anchor>
  );
}

/** The small "Cancelled" tag beside a session in a list. */
export function CancelledBadge({ cancelled, ml }: { cancelled: boolean; ml?: string }) {
  return cancelled ? (
    <Badge size="xs" color="gray" ml={ml}>
      Cancelled
    </Badge>
  ) : null;
}
