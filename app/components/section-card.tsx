import { Card, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** One titled section of a page, on a bordered card. */
export function SectionCard({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}
