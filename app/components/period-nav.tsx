import { Button, Group } from "@mantine/core";
import { IconChevronLeft, IconChevronRight } from "@tabler/icons-react";
import { Link } from "@remix-run/react";

/** Previous / current / next links for a day or a week view ("Previous week", "This week", "Next week"). */
export function PeriodNav({
  unit,
  previous,
  current,
  next,
  currentLabel,
  size,
}: {
  unit: "day" | "week";
  previous: string;
  current: string;
  next: string;
  currentLabel?: string;
  size?: "xs" | "sm";
}) {
  const icon = size === "xs" ? 14 : 16;
  return (
    <Group gap="xs" component="nav" aria-label={unit === "day" ? "Day" : "Week"}>
      <Button component={Link} to={previous} variant="default" size={size} leftSection={<IconChevronLeft size={icon} aria-hidden />}>
        Previous {unit}
      </Button>
      <Button component={Link} to={current} variant="default" size={size}>
        {currentLabel ?? (unit === "day" ? "Today" : "This week")}
      </Button>
      <Button component={Link} to={next} variant="default" size={size} rightSection={<IconChevronRight size={icon} aria-hidden />}>
        Next {unit}
      </Button>
    </Group>
  );
}
