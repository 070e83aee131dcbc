import { Button, Kbd, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { Spotlight, createSpotlight } from "@mantine/spotlight";
import { IconSearch } from "@tabler/icons-react";
import { useFetcher, useNavigate } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";

interface Result {
  id: string;
  mrn: string;
  name: string;
  preferredName: string | null;
  track: string | null;
  status: string;
}

/** The search's own Spotlight store, so the highlighted match can be read and set. */
const [searchStore, search] = createSpotlight();

/**
 * Highlights the first match the way Spotlight's arrow keys do (a `data-selected` attribute and
 * the store's index), which it does itself only for matches already on screen when the text changes.
 */
function highlightFirst() {
  const { listId } = searchStore.getState();
  const list = listId ? document.getElementById(listId) : null;
  list?.querySelector("[data-selected]")?.removeAttribute("data-selected");
  const first = list?.querySelector("[data-action]");
  first?.setAttribute("data-selected", "true");
  searchStore.updateState((s) => ({ ...s, selected: first ? 0 : -1 }));
}

/**
 * Find a patient from anywhere: the header button, `/` or Ctrl+K. Enter opens the highlighted
 * match: the first one, until the arrow keys move the highlight.
 */
export function PatientSearch() {
  const [query, setQuery] = useState("");
  const [debounced] = useDebouncedValue(query, 150);
  const fetcher = useFetcher<{ results: Result[] }>();
  const navigate = useNavigate();
  // The text the last search asked for, and the text Enter was pressed on before its matches came.
  const [asked, setAsked] = useState("");
  const [enterOn, setEnterOn] = useState<string | null>(null);
  useEffect(() => {
    const q = debounced.trim();
    if (!q) return;
    setAsked(q);
    fetcher.load(`/patients/search?q=${encodeURIComponent(q)}`);
    // fetcher.load is stable enough for this; re-run only when the text settles.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);
  const results = debounced.trim() ? (fetcher.data?.results ?? []) : [];
  const openChart = useCallback(
    (r: Result) => {
      search.close();
      navigate(`/patients/${r.id}`);
    },
    [navigate],
  );
  // The list on screen answers what is typed now, not what was typed a few keystrokes ago.
  const answered = query.trim() !== "" && asked === query.trim() && fetcher.state === "idle";

  // Spotlight highlights the first match when the text changes, but the matches come later
  // (debounce, then the fetch), when its list was still empty: highlight the first of each new list.
  useEffect(() => {
    if (fetcher.data?.results.length) highlightFirst();
  }, [fetcher.data]);
  // Enter pressed while the matches were on their way opens the first of them when they come.
  useEffect(() => {
    if (enterOn === null) return;
    if (enterOn !== query.trim()) return setEnterOn(null);
    if (!answered) return;
    setEnterOn(null);
    const first = fetcher.data?.results[0];
    if (first) openChart(first);
  }, [enterOn, query, answered, fetcher.data, openChart]);
  /**
   * Enter is handled here, before Spotlight's own handler (which clicks whatever is highlighted,
   * even a match for older text, and nothing while the list is empty).
   */
  const onEnter = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Enter" || event.nativeEvent.isComposing) return;
    event.preventDefault();
    event.stopPropagation();
    if (!query.trim()) return;
    if (!answered) return setEnterOn(query.trim());
    const chosen = results[searchStore.getState().selected] ?? results[0];
    if (chosen) openChart(chosen);
  };
  return (
    <>
      <Button
        variant="default"
        size="sm"
        leftSection={<IconSearch size={16} aria-hidden />}
        rightSection={<Kbd size="xs">/</Kbd>}
        onClick={search.open}
        visibleFrom="sm"
      >
        Find a patient
      </Button>
      <Spotlight.Root store={searchStore} query={query} onQueryChange={setQuery} shortcut={["mod + K", "/"]} scrollable maxHeight={420}>
        <Spotlight.Search
          placeholder="Name or MRN"
          aria-label="Find a patient by name or MRN"
          leftSection={<IconSearch size={18} aria-hidden />}
          onKeyDownCapture={onEnter}
        />
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
