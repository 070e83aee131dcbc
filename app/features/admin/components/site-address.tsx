import { Text } from "@mantine/core";

const LINES = { whiteSpace: "pre-line", fontStyle: "normal", margin: 0 } as const;

/**
 * A site's address with its lines kept as typed (stored with newlines, shown with line breaks), in
 * the surrounding text's size: on screens and on printed pages alike.
 */
export function SiteAddress({ address, empty }: { address: string | null; empty?: string }) {
  if (!address)
    return empty ? (
      <Text c="dimmed" inherit>
        {empty}
      </Text>
    ) : null;
  return <address style={LINES}>{address}</address>;
}
