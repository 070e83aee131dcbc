/**
 * `npx tsx scripts/icd10-generate.ts <icd10cm_order_YYYY.txt | the CMS zip holding it> [--year YYYY] [--note TEXT]`
 *
 * Regenerates app/features/patients/icd10-codes.json, the clinic's list of billable ICD-10-CM
 * codes, from CMS's order file. Each October 1 a new fiscal year's list comes into force: download
 * "Code Descriptions in Tabular Order" for the new year from CMS's ICD-10 page
 * (www.cms.gov/medicare/coding-billing/icd-10-codes), run this on it, and commit the JSON.
 * The fiscal year is read from the file's name (icd10cm_order_2027.txt → FY2027) unless given;
 * `--note "..."` records a remark in the file (say, why an older year's list is in use).
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import * as prettier from "prettier";
import { SCOPE, groupInScope, parseOrderFile } from "./icd10-order-file";

const OUT = resolve(import.meta.dirname, "../app/features/patients/icd10-codes.json");

const { values, positionals } = parseArgs({ options: { year: { type: "string" }, note: { type: "string" } }, allowPositionals: true, strict: true });
const input = positionals[0];
if (!input) {
  console.error("Usage: npx tsx scripts/icd10-generate.ts <icd10cm_order_YYYY.txt | code-descriptions zip> [--year YYYY] [--note TEXT]");
  process.exit(2);
}

let member = basename(input);
let text: string;
if (input.endsWith(".zip")) {
  const names = execFileSync("unzip", ["-Z1", input], { encoding: "utf8" }).split("\n");
  const found = names.find((n) => /(^|\/)icd10cm_order_\d{4}\.txt$/.test(n.trim()));
  if (!found) throw new Error(`${input} holds no icd10cm_order_YYYY.txt`);
  member = basename(found.trim());
  text = execFileSync("unzip", ["-p", input, found.trim()], { encoding: "latin1", maxBuffer: 64 * 1024 * 1024 });
} else {
  text = readFileSync(input, "latin1");
}

const year = Number(values.year ?? /icd10cm_order_(\d{4})/.exec(member)?.[1]);
if (!Number.isInteger(year) || year < 2016) throw new Error("Give the fiscal year with --year YYYY (the file's name does not say it).");

const rows = parseOrderFile(text);
const groups = groupInScope(rows);
const count = groups.reduce((n, g) => n + g.codes.length, 0);
const list = {
  about: "Billable ICD-10-CM diagnosis codes the clinic may record, with their official (long) descriptions. Generated: do not edit by hand.",
  fiscalYear: year,
  effective: { from: `${year - 1}-10-01`, to: `${year}-09-30` },
  source: `CMS ICD-10-CM FY${year} code descriptions in tabular order, ${member} (rows flagged 1 = billable)`,
  ...(values.note ? { note: values.note } : {}),
  regenerate: `npx tsx scripts/icd10-generate.ts ${member}`,
  scope: SCOPE.map((s) => s.what),
  count,
  groups,
};
const json = await prettier.format(JSON.stringify(list), { parser: "json", printWidth: 160 });
writeFileSync(OUT, json);
console.log(`Wrote ${count} billable codes in ${groups.length} categories (FY${year}) to ${OUT}`);
