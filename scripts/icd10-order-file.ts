/**
 * Reading CMS's ICD-10-CM order file (`icd10cm_order_YYYY.txt`, inside the yearly
 * "Code Descriptions in Tabular Order" zip) and choosing the codes the clinic's list holds.
 *
 * The file's layout, from CMS's `icd10OrderFiles.pdf` that ships beside it: fixed-width columns
 *   1–5   order number, zero-padded
 *   7–13  the code, without its dot, left-aligned
 *   15    0 = a header (a category or subcategory: not valid for claims), 1 = billable
 *   17–76 short description
 *   78–   long (official) description
 */

export interface OrderFileRow {
  /** Dotted, as clinicians write it: F11.20, T40.2X1A, F99. */
  code: string;
  billable: boolean;
  short: string;
  long: string;
}

/** F1120 → F11.20; three-character codes keep no dot. */
export function dotted(code: string): string {
  return code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

export function parseOrderFile(text: string): OrderFileRow[] {
  const rows: OrderFileRow[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim()) continue;
    const code = raw.slice(6, 13).trim();
    const flag = raw.slice(14, 15);
    if (!/^\d{5}$/.test(raw.slice(0, 5)) || !/^[A-Z][0-9A-Z]{2,6}$/.test(code) || (flag !== "0" && flag !== "1")) {
      throw new Error(`Not an ICD-10-CM order-file line: ${JSON.stringify(raw.slice(0, 80))}`);
    }
    rows.push({ code: dotted(code), billable: flag === "1", short: raw.slice(16, 76).trim(), long: raw.slice(77).trim() });
  }
  return rows;
}

/**
 * The part of ICD-10-CM an addiction IOP codes with, by code prefix (dotted). Each line of
 * `SCOPE` is stated in the generated file, so the list says what it covers.
 * Z86.4 (history of psychoactive substance abuse) is not in ICD-10-CM (it is WHO ICD-10 only):
 * ICD-10-CM codes a past use disorder as "in remission" (F1x.11, F1x.21), which chapter F holds.
 */
export const SCOPE: { prefixes: string[]; what: string }[] = [
  { prefixes: ["F"], what: "F01–F99: all of chapter 5, mental, behavioral and neurodevelopmental disorders" },
  {
    prefixes: ["Z55", "Z56", "Z57", "Z58", "Z59", "Z60", "Z61", "Z62", "Z63", "Z64", "Z65"],
    what: "Z55–Z65: persons with potential health hazards related to socioeconomic and psychosocial circumstances (education, employment, housing, family, legal)",
  },
  { prefixes: ["Z71.4", "Z71.5", "Z71.6"], what: "Z71.4–Z71.6: alcohol, drug and tobacco abuse counseling and surveillance" },
  { prefixes: ["Z72.0"], what: "Z72.0: tobacco use" },
  { prefixes: ["Z79.891"], what: "Z79.891: long term (current) use of opiate analgesic" },
  { prefixes: ["Z86.59"], what: "Z86.59: personal history of other mental and behavioral disorders" },
  { prefixes: ["Z87.891"], what: "Z87.891: personal history of nicotine dependence" },
  { prefixes: ["Z91.1"], what: "Z91.1: patient's noncompliance with medical treatment and regimen" },
  {
    prefixes: ["T40", "T42", "T43", "T51"],
    what: "T40, T42, T43, T51: poisoning by, adverse effect of and underdosing of narcotics and psychodysleptics, sedative-hypnotics and antiepileptics, psychotropic drugs, and toxic effect of alcohol; 7th character A, D or S",
  },
];

export function inScope(code: string): boolean {
  return SCOPE.some((s) => s.prefixes.some((p) => code.startsWith(p)));
}

export interface CodeGroup {
  /** The three-character category and its title: "F11 Opioid related disorders". */
  heading: string;
  /** [code, official long description], billable codes only, in tabular order. */
  codes: [string, string][];
}

/** The billable codes in scope, grouped under their three-character category, in tabular order. */
export function groupInScope(rows: OrderFileRow[]): CodeGroup[] {
  const titles = new Map(rows.filter((r) => r.code.length === 3).map((r) => [r.code, r.long]));
  const groups = new Map<string, CodeGroup>();
  for (const r of rows) {
    if (!r.billable || !inScope(r.code)) continue;
    const category = r.code.slice(0, 3);
    const group = groups.get(category) ?? { heading: `${category} ${titles.get(category) ?? ""}`.trim(), codes: [] };
    group.codes.push([r.code, r.long]);
    groups.set(category, group);
  }
  return [...groups.values()];
}
