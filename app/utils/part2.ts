/**
 * 42 CFR § 2.32(a)(1): the notice that must accompany any disclosure of records that identify a
 * patient as having a substance use disorder. Every export carries it first.
 */
export const PART2_REDISCLOSURE_NOTICE = [
  "42 CFR part 2 prohibits unauthorized use or disclosure of these records.",
  "This information has been disclosed to you from records protected by federal confidentiality rules (42 CFR part 2). The federal rules prohibit you from making any further disclosure of information in this record that identifies a patient as having or having had a substance use disorder either directly, by reference to publicly available information, or through verification of such identification by another person unless further disclosure is expressly permitted by the written consent of the individual whose information is being disclosed or as otherwise permitted by 42 CFR part 2.",
];
