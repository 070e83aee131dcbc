import { Button, Kbd, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { Spotlight, spotlight } from "@mantine/spotlight";
import { IconSearch } from "@tabler/icons-react";
import { useFetcher, useNavigate } from "@remix-run/react";
import { useEffect, useState } from "react";

interface Result {
  id: string;
  mrn: string;
  name: string;
  preferredName: string | null;
  track: string | null;
  status: string;
}

/** Find a patient from anywhere: the header button, `/` or Ctrl+K. */
export function PatientSearch() {
  const [query, setQuery] = useState("");
  const [debounced] = useDebouncedValue(query, 150);
  const fetcher = useFetcher<{ results: Result[] }>();
  const navigate = useNavigate();
  useEffect(() => {
    if (debounced.trim()) fetcher.load(`/patients/search?q=${encodeURIComponent(debounced.trim())}`);
    // fetcher.load is stable enough for this; re-run only when the text settles.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);
  const results = debounced.trim() ? (fetcher.data?.results ?? []) : [];
  return (
    <>
      <Button
        variant="default"
        size="sm"
        leftSection={<IconSearch size={16} aria-hidden />}
        rightSection={<Kbd size="xs">/</Kbd>}
        onClick={() => spotlight.open()}
        visibleFrom="sm"
      >
        Find a patient
      </Button>
      <Spotlight.Root query={query} onQueryChange={setQuery} shortcut={["mod + K", "/"]} scrollable maxHeight={420}>
        <Spotlight.Search placeholder="Name or MRN" aria-label="Find a patient by name or MRN" leftSection={<IconSearch size={18} aria-hidden />} />
        <Spotlight.ActionsList aria-label="Matching patients">
          {results.length ? (
            results.map((r) => (
              <Spotlight.Action
                key={r.id}
                label={`${r.name}${r.preferredName ? ` (${r.preferredName})` : ""}`}
                description={[r.mrn, r.track, r.status === "discharged" ? "discharged" : null].filter(Boolean).join(" · ")}
                onClick={() => navigate(`/patients/${r.id}`)}
              />
            ))
          ) : (
            <Spotlight.Empty>
              <Text size="sm">
                {debounced.trim() ? (fetcher.state === "loading" ? "Searching…" : "No patient matches.") : "Type part of a name or an MRN."}
              </Text>
            </Spotlight.Empty>
          )}
        </Spotlight.ActionsList>
      </Spotlight.Root>
    </>
  );
}
