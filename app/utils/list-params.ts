/** Reads paging and sorting from URL search params, falling back to safe defaults on bad input. */
export function readListParams<S extends string>(url: URL, sorts: readonly S[], defaults: { sort: S; direction: "asc" | "desc"; pageSize?: number }) {
  const sp = url.searchParams;
  const sortParam = sp.get("sort") as S | null;
  const sort = sortParam && sorts.includes(sortParam) ? sortParam : defaults.sort;
  const dirParam = sp.get("dir");
  const direction: "asc" | "desc" = dirParam === "asc" || dirParam === "desc" ? dirParam : defaults.direction;
  const pageNum = Number.parseInt(sp.get("page") ?? "1", 10);
  const page = Number.isFinite(pageNum) && pageNum >= 1 && pageNum <= 100_000 ? pageNum : 1;
  const pageSize = defaults.pageSize ?? 25;
  return { sort, direction, page, pageSize };
}
