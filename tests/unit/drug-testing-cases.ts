/**
 * The interpretation table's cases, shared by the unit test (pure rules) and the integration test
 * (the same cases recorded through the database on SQLite and PostgreSQL). Not a test file itself.
 */
import type { Analyte, MatRegimen, Presumptive, Reading } from "~/features/drug-testing/rules";

/**
 * One case per row of INTERPRETATION_RULES, written as a clinician would say it. Each case names the
 * row it must land on; a new row without a case here fails the coverage test in drug-testing-rules.test.ts.
 */
export const CASES: { rule: string; say: string; regimens: MatRegimen[]; analyte: Analyte; result: Presumptive; reading: Reading; highRisk: boolean }[] = [
  { rule: "buprenorphine-present", say: "buprenorphine positive on buprenorphine is expected", regimens: ["buprenorphine"], analyte: "buprenorphine", result: "positive", reading: "expected_positive", highRisk: false },
  { rule: "buprenorphine-present", say: "norbuprenorphine positive on buprenorphine is expected", regimens: ["buprenorphine"], analyte: "norbuprenorphine", result: "positive", reading: "expected_positive", highRisk: false },
  { rule: "buprenorphine-absent", say: "buprenorphine negative on buprenorphine is flagged", regimens: ["buprenorphine"], analyte: "buprenorphine", result: "negative", reading: "unexpected_negative", highRisk: false },
  { rule: "norbuprenorphine-absent", say: "norbuprenorphine negative on buprenorphine is flagged", regimens: ["buprenorphine"], analyte: "norbuprenorphine", result: "negative", reading: "unexpected_negative", highRisk: false },
  { rule: "methadone-present", say: "methadone positive on methadone is expected", regimens: ["methadone"], analyte: "methadone", result: "positive", reading: "expected_positive", highRisk: false },
  { rule: "methadone-present", say: "EDDP positive on methadone is expected", regimens: ["methadone"], analyte: "eddp", result: "positive", reading: "expected_positive", highRisk: false },
  { rule: "methadone-absent", say: "methadone negative on methadone is flagged", regimens: ["methadone"], analyte: "methadone", result: "negative", reading: "unexpected_negative", highRisk: false },
  { rule: "eddp-absent", say: "EDDP negative on methadone is flagged", regimens: ["methadone"], analyte: "eddp", result: "negative", reading: "unexpected_negative", highRisk: false },
  { rule: "opioid-on-naltrexone", say: "fentanyl positive on naltrexone is unexpected and higher risk", regimens: ["naltrexone"], analyte: "fentanyl", result: "positive", reading: "unexpected_positive", highRisk: true },
  { rule: "opioid-on-naltrexone", say: "buprenorphine positive on naltrexone is unexpected and higher risk", regimens: ["naltrexone"], analyte: "buprenorphine", result: "positive", reading: "unexpected_positive", highRisk: true },
  { rule: "sedative-on-agonist", say: "benzodiazepines positive on buprenorphine is unexpected and higher risk", regimens: ["buprenorphine"], analyte: "benzodiazepines", result: "positive", reading: "unexpected_positive", highRisk: true },
  { rule: "sedative-on-agonist", say: "barbiturates positive on methadone is unexpected and higher risk", regimens: ["methadone"], analyte: "barbiturates", result: "positive", reading: "unexpected_positive", highRisk: true },
  { rule: "alcohol-on-disulfiram", say: "EtG positive on disulfiram is unexpected and higher risk", regimens: ["disulfiram"], analyte: "etg", result: "positive", reading: "unexpected_positive", highRisk: true },
  { rule: "opioid-not-prescribed", say: "fentanyl positive on buprenorphine is unexpected", regimens: ["buprenorphine"], analyte: "fentanyl", result: "positive", reading: "unexpected_positive", highRisk: false },
  { rule: "opioid-not-prescribed", say: "methadone positive on buprenorphine is unexpected", regimens: ["buprenorphine"], analyte: "methadone", result: "positive", reading: "unexpected_positive", highRisk: false },
  { rule: "opioid-not-prescribed", say: "buprenorphine positive with no MAT is unexpected", regimens: [], analyte: "buprenorphine", result: "positive", reading: "unexpected_positive", highRisk: false },
  { rule: "opioid-not-prescribed", say: "oxycodone positive with no MAT is unexpected", regimens: [], analyte: "oxycodone", result: "positive", reading: "unexpected_positive", highRisk: false },
  { rule: "other-positive", say: "cocaine positive on buprenorphine is unexpected", regimens: ["buprenorphine"], analyte: "cocaine", result: "positive", reading: "unexpected_positive", highRisk: false },
  { rule: "other-positive", say: "THC positive with no MAT is unexpected", regimens: [], analyte: "thc", result: "positive", reading: "unexpected_positive", highRisk: false },
  { rule: "other-positive", say: "breath alcohol positive on naltrexone is unexpected, not an opioid risk", regimens: ["naltrexone"], analyte: "breath_alcohol", result: "positive", reading: "unexpected_positive", highRisk: false },
  { rule: "negative", say: "fentanyl negative on buprenorphine is a plain negative", regimens: ["buprenorphine"], analyte: "fentanyl", result: "negative", reading: "expected_negative", highRisk: false },
  { rule: "negative", say: "methadone negative on buprenorphine is a plain negative", regimens: ["buprenorphine"], analyte: "methadone", result: "negative", reading: "expected_negative", highRisk: false },
  { rule: "negative", say: "buprenorphine negative with no MAT is a plain negative", regimens: [], analyte: "buprenorphine", result: "negative", reading: "expected_negative", highRisk: false },
];

