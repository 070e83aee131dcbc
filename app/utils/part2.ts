/**
 * 42 CFR § 2.32(a)(1): the notice that must accompany any disclosure of records that identify a
 * patient as having a substance use disorder. Every export carries it first.
 */
export const PART2_REDISCLOSURE_NOTICE = [
  "42 CFR part 2 prohibits unauthorized use or disclosure of these records.",
  "This information has been disclosed to you from records protected by federal confidentiality rules (42 CFR part 2). The federal rules prohibit you from making any further disclosure of information in this record that identifies a patient as having or having had a substance use disorder either directly, by reference to publicly available information, or through verification of such identification by another person unless further disclosure is expressly permitted by the written consent of the individual whose information is being disclosed or as otherwise permitted by 42 CFR part 2.",
];

/**
 * 42 CFR § 2.32(a)(1) as amended in 2024 (89 FR 12472): the statement that must accompany every
 * disclosure made with the patient's written consent. Printed first on every disclosed document;
 * § 2.32(b) also asks for a copy of the consent or a clear explanation of its scope, which the
 * document gives beneath it.
 */
export const PART2_DISCLOSURE_NOTICE = {
  title: "Notice to accompany disclosure (42 CFR § 2.32)",
  paragraphs: [
    "This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2). These rules prohibit you from using or disclosing this record, or testimony that describes the information contained in this record, in any civil, criminal, administrative, or legislative proceedings by any Federal, State, or local authority, against the patient, unless authorized by the consent of the patient, except as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of the following applies:",
  ],
  conditions: [
    "Further use or disclosure is expressly permitted by the written consent of the individual whose information is being disclosed in this record or as otherwise permitted by 42 CFR part 2.",
    "You are a covered entity or business associate and have received the record for treatment, payment, or health care operations, or",
    "You have received the record from a covered entity or business associate as permitted by 45 CFR part 164, subparts A and E.",
  ],
  closing:
    "A general authorization for the release of medical or other information is NOT sufficient to meet the required elements of written consent to further use or redisclose the record (see 42 CFR 2.31).",
} as const;

/** The notice as one plain text, stored with each disclosure exactly as it was printed. */
export function part2DisclosureNoticeText(): string {
  const n = PART2_DISCLOSURE_NOTICE;
  return [...n.paragraphs, ...n.conditions.map((c, i) => `(${String.fromCharCode(65 + i)}) ${c}`), n.closing].join("\n");
}
