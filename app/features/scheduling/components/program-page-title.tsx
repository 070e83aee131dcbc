import { Anchor, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/** A page under program setup: the way back to it, the page's title, and what the page says under its title. */
export function ProgramPageTitle({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div>
      <Anchor component={Link} to="/admin/program" size="sm">
        ← Program setup
      </Anchor>
      <Title order={1}>{title}</Title>
      {children}
    </div>
  );
}
