import { Anchor, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/** A page's title under the link back to the page it belongs to, and, when there is one, a line on what it is for. */
export function PageHeading({ back, title, children }: { back: { to: string; label: string }; title: ReactNode; children?: ReactNode }) {
  return (
    <div>
      <Anchor component={Link} to={back.to} size="sm">
        {`← ${back.label}`}
      </Anchor>
      <Title order={1}>{title}</Title>
      {children ? <Text c="dimmed">{children}</Text> : null}
    </div>
  );
}
