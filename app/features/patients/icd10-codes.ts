/**
 * ICD-10-CM diagnosis codes for the patient chart: a curated pick list and the shape checks around it.
 *
 * Codes and descriptions follow the CMS ICD-10-CM code list in force from 1 October 2025 (FY2026);
 * every listed code was also billable in FY2025. Only billable (leaf) codes are listed, in dotted form.
 */

export interface Icd10Code {
  code: string;
  description: string;
}

/** Curated ICD-10-CM F-chapter codes an addiction IOP uses, billable (leaf) codes with the official short-ish descriptions. */
export const ICD10_CODES: readonly Icd10Code[] = [
  // F10 Alcohol related disorders
  { code: "F10.10", description: "Alcohol abuse, uncomplicated" },
  { code: "F10.11", description: "Alcohol abuse, in remission" },
  { code: "F10.120", description: "Alcohol abuse with intoxication, uncomplicated" },
  { code: "F10.130", description: "Alcohol abuse with withdrawal, uncomplicated" },
  { code: "F10.20", description: "Alcohol dependence, uncomplicated" },
  { code: "F10.21", description: "Alcohol dependence, in remission" },
  { code: "F10.220", description: "Alcohol dependence with intoxication, uncomplicated" },
  { code: "F10.230", description: "Alcohol dependence with withdrawal, uncomplicated" },
  { code: "F10.239", description: "Alcohol dependence with withdrawal, unspecified" },
  { code: "F10.24", description: "Alcohol dependence with alcohol-induced mood disorder" },
  // F11 Opioid related disorders
  { code: "F11.10", description: "Opioid abuse, uncomplicated" },
  { code: "F11.11", description: "Opioid abuse, in remission" },
  { code: "F11.120", description: "Opioid abuse with intoxication, uncomplicated" },
  { code: "F11.13", description: "Opioid abuse with withdrawal" },
  { code: "F11.20", description: "Opioid dependence, uncomplicated" },
  { code: "F11.21", description: "Opioid dependence, in remission" },
  { code: "F11.220", description: "Opioid dependence with intoxication, uncomplicated" },
  { code: "F11.23", description: "Opioid dependence with withdrawal" },
  { code: "F11.24", description: "Opioid dependence with opioid-induced mood disorder" },
  // F12 Cannabis related disorders
  { code: "F12.10", description: "Cannabis abuse, uncomplicated" },
  { code: "F12.11", description: "Cannabis abuse, in remission" },
  { code: "F12.120", description: "Cannabis abuse with intoxication, uncomplicated" },
  { code: "F12.13", description: "Cannabis abuse with withdrawal" },
  { code: "F12.20", description: "Cannabis dependence, uncomplicated" },
  { code: "F12.21", description: "Cannabis dependence, in remission" },
  { code: "F12.220", description: "Cannabis dependence with intoxication, uncomplicated" },
  { code: "F12.23", description: "Cannabis dependence with withdrawal" },
  // F13 Sedative, hypnotic, or anxiolytic related disorders
  { code: "F13.10", description: "Sedative, hypnotic or anxiolytic abuse, uncomplicated" },
  { code: "F13.11", description: "Sedative, hypnotic or anxiolytic abuse, in remission" },
  { code: "F13.120", description: "Sedative, hypnotic or anxiolytic abuse with intoxication, uncomplicated" },
  { code: "F13.130", description: "Sedative, hypnotic or anxiolytic abuse with withdrawal, uncomplicated" },
  { code: "F13.20", description: "Sedative, hypnotic or anxiolytic dependence, uncomplicated" },
  { code: "F13.21", description: "Sedative, hypnotic or anxiolytic dependence, in remission" },
  { code: "F13.220", description: "Sedative, hypnotic or anxiolytic dependence with intoxication, uncomplicated" },
  { code: "F13.230", description: "Sedative, hypnotic or anxiolytic dependence with withdrawal, uncomplicated" },
  { code: "F13.239", description: "Sedative, hypnotic or anxiolytic dependence with withdrawal, unspecified" },
  {
    code: "F13.24",
    description: "Sedative, hypnotic or anxiolytic dependence with sedative, hypnotic or anxiolytic-induced mood disorder",
  },
  // F14 Cocaine related disorders
  { code: "F14.10", description: "Cocaine abuse, uncomplicated" },
  { code: "F14.11", description: "Cocaine abuse, in remission" },
  { code: "F14.120", description: "Cocaine abuse with intoxication, uncomplicated" },
  { code: "F14.13", description: "Cocaine abuse, unspecified with withdrawal" },
  { code: "F14.20", description: "Cocaine dependence, uncomplicated" },
  { code: "F14.21", description: "Cocaine dependence, in remission" },
  { code: "F14.220", description: "Cocaine dependence with intoxication, uncomplicated" },
  { code: "F14.23", description: "Cocaine dependence with withdrawal" },
  { code: "F14.24", description: "Cocaine dependence with cocaine-induced mood disorder" },
  // F15 Other stimulant related disorders (amphetamine, methamphetamine, caffeine)
  { code: "F15.10", description: "Other stimulant abuse, uncomplicated" },
  { code: "F15.11", description: "Other stimulant abuse, in remission" },
  { code: "F15.120", description: "Other stimulant abuse with intoxication, uncomplicated" },
  { code: "F15.13", description: "Other stimulant abuse with withdrawal" },
  { code: "F15.20", description: "Other stimulant dependence, uncomplicated" },
  { code: "F15.21", description: "Other stimulant dependence, in remission" },
  { code: "F15.220", description: "Other stimulant dependence with intoxication, uncomplicated" },
  { code: "F15.23", description: "Other stimulant dependence with withdrawal" },
  { code: "F15.24", description: "Other stimulant dependence with stimulant-induced mood disorder" },
  // F16 Hallucinogen related disorders (ICD-10-CM has no hallucinogen withdrawal codes)
  { code: "F16.10", description: "Hallucinogen abuse, uncomplicated" },
  { code: "F16.11", description: "Hallucinogen abuse, in remission" },
  { code: "F16.120", description: "Hallucinogen abuse with intoxication, uncomplicated" },
  { code: "F16.20", description: "Hallucinogen dependence, uncomplicated" },
  { code: "F16.21", description: "Hallucinogen dependence, in remission" },
  { code: "F16.220", description: "Hallucinogen dependence with intoxication, uncomplicated" },
  // F17 Nicotine dependence
  { code: "F17.200", description: "Nicotine dependence, unspecified, uncomplicated" },
  { code: "F17.210", description: "Nicotine dependence, cigarettes, uncomplicated" },
  { code: "F17.211", description: "Nicotine dependence, cigarettes, in remission" },
  { code: "F17.290", description: "Nicotine dependence, other tobacco product, uncomplicated" },
  // F18 Inhalant related disorders
  { code: "F18.10", description: "Inhalant abuse, uncomplicated" },
  { code: "F18.11", description: "Inhalant abuse, in remission" },
  { code: "F18.20", description: "Inhalant dependence, uncomplicated" },
  { code: "F18.21", description: "Inhalant dependence, in remission" },
  // F19 Other psychoactive substance related disorders (incl. polysubstance)
  { code: "F19.10", description: "Other psychoactive substance abuse, uncomplicated" },
  { code: "F19.11", description: "Other psychoactive substance abuse, in remission" },
  { code: "F19.120", description: "Other psychoactive substance abuse with intoxication, uncomplicated" },
  { code: "F19.130", description: "Other psychoactive substance abuse with withdrawal, uncomplicated" },
  { code: "F19.20", description: "Other psychoactive substance dependence, uncomplicated" },
  { code: "F19.21", description: "Other psychoactive substance dependence, in remission" },
  { code: "F19.220", description: "Other psychoactive substance dependence with intoxication, uncomplicated" },
  { code: "F19.230", description: "Other psychoactive substance dependence with withdrawal, uncomplicated" },
  { code: "F19.239", description: "Other psychoactive substance dependence with withdrawal, unspecified" },
  {
    code: "F19.24",
    description: "Other psychoactive substance dependence with psychoactive substance-induced mood disorder",
  },
  // F20–F29 Schizophrenia spectrum
  { code: "F20.0", description: "Paranoid schizophrenia" },
  { code: "F20.9", description: "Schizophrenia, unspecified" },
  { code: "F25.0", description: "Schizoaffective disorder, bipolar type" },
  { code: "F25.1", description: "Schizoaffective disorder, depressive type" },
  { code: "F25.9", description: "Schizoaffective disorder, unspecified" },
  { code: "F29", description: "Unspecified psychosis not due to a substance or known physiological condition" },
  // F31 Bipolar disorder
  { code: "F31.0", description: "Bipolar disorder, current episode hypomanic" },
  { code: "F31.10", description: "Bipolar disorder, current episode manic without psychotic features, unspecified" },
  { code: "F31.11", description: "Bipolar disorder, current episode manic without psychotic features, mild" },
  { code: "F31.12", description: "Bipolar disorder, current episode manic without psychotic features, moderate" },
  { code: "F31.13", description: "Bipolar disorder, current episode manic without psychotic features, severe" },
  { code: "F31.2", description: "Bipolar disorder, current episode manic severe with psychotic features" },
  { code: "F31.30", description: "Bipolar disorder, current episode depressed, mild or moderate severity, unspecified" },
  { code: "F31.31", description: "Bipolar disorder, current episode depressed, mild" },
  { code: "F31.32", description: "Bipolar disorder, current episode depressed, moderate" },
  { code: "F31.4", description: "Bipolar disorder, current episode depressed, severe, without psychotic features" },
  { code: "F31.5", description: "Bipolar disorder, current episode depressed, severe, with psychotic features" },
  { code: "F31.60", description: "Bipolar disorder, current episode mixed, unspecified" },
  { code: "F31.61", description: "Bipolar disorder, current episode mixed, mild" },
  { code: "F31.62", description: "Bipolar disorder, current episode mixed, moderate" },
  { code: "F31.63", description: "Bipolar disorder, current episode mixed, severe, without psychotic features" },
  { code: "F31.64", description: "Bipolar disorder, current episode mixed, severe, with psychotic features" },
  { code: "F31.70", description: "Bipolar disorder, currently in remission, most recent episode unspecified" },
  { code: "F31.71", description: "Bipolar disorder, in partial remission, most recent episode hypomanic" },
  { code: "F31.72", description: "Bipolar disorder, in full remission, most recent episode hypomanic" },
  { code: "F31.73", description: "Bipolar disorder, in partial remission, most recent episode manic" },
  { code: "F31.74", description: "Bipolar disorder, in full remission, most recent episode manic" },
  { code: "F31.75", description: "Bipolar disorder, in partial remission, most recent episode depressed" },
  { code: "F31.76", description: "Bipolar disorder, in full remission, most recent episode depressed" },
  { code: "F31.77", description: "Bipolar disorder, in partial remission, most recent episode mixed" },
  { code: "F31.78", description: "Bipolar disorder, in full remission, most recent episode mixed" },
  { code: "F31.81", description: "Bipolar II disorder" },
  { code: "F31.89", description: "Other bipolar disorder" },
  { code: "F31.9", description: "Bipolar disorder, unspecified" },
  // F32–F34 Depressive disorders
  { code: "F32.0", description: "Major depressive disorder, single episode, mild" },
  { code: "F32.1", description: "Major depressive disorder, single episode, moderate" },
  { code: "F32.2", description: "Major depressive disorder, single episode, severe without psychotic features" },
  { code: "F32.3", description: "Major depressive disorder, single episode, severe with psychotic features" },
  { code: "F32.4", description: "Major depressive disorder, single episode, in partial remission" },
  { code: "F32.5", description: "Major depressive disorder, single episode, in full remission" },
  { code: "F32.9", description: "Major depressive disorder, single episode, unspecified" },
  { code: "F32.A", description: "Depression, unspecified" },
  { code: "F33.0", description: "Major depressive disorder, recurrent, mild" },
  { code: "F33.1", description: "Major depressive disorder, recurrent, moderate" },
  { code: "F33.2", description: "Major depressive disorder, recurrent severe without psychotic features" },
  { code: "F33.3", description: "Major depressive disorder, recurrent, severe with psychotic symptoms" },
  { code: "F33.40", description: "Major depressive disorder, recurrent, in remission, unspecified" },
  { code: "F33.41", description: "Major depressive disorder, recurrent, in partial remission" },
  { code: "F33.42", description: "Major depressive disorder, recurrent, in full remission" },
  { code: "F33.9", description: "Major depressive disorder, recurrent, unspecified" },
  { code: "F34.1", description: "Dysthymic disorder" },
  // F40–F43 Anxiety, obsessive-compulsive, trauma- and stressor-related disorders
  { code: "F40.00", description: "Agoraphobia, unspecified" },
  { code: "F40.01", description: "Agoraphobia with panic disorder" },
  { code: "F40.02", description: "Agoraphobia without panic disorder" },
  { code: "F40.10", description: "Social phobia, unspecified" },
  { code: "F40.11", description: "Social phobia, generalized" },
  { code: "F41.0", description: "Panic disorder [episodic paroxysmal anxiety]" },
  { code: "F41.1", description: "Generalized anxiety disorder" },
  { code: "F41.8", description: "Other specified anxiety disorders" },
  { code: "F41.9", description: "Anxiety disorder, unspecified" },
  { code: "F42.2", description: "Mixed obsessional thoughts and acts" },
  { code: "F42.9", description: "Obsessive-compulsive disorder, unspecified" },
  { code: "F43.0", description: "Acute stress reaction" },
  { code: "F43.10", description: "Post-traumatic stress disorder, unspecified" },
  { code: "F43.11", description: "Post-traumatic stress disorder, acute" },
  { code: "F43.12", description: "Post-traumatic stress disorder, chronic" },
  { code: "F43.20", description: "Adjustment disorder, unspecified" },
  { code: "F43.21", description: "Adjustment disorder with depressed mood" },
  { code: "F43.22", description: "Adjustment disorder with anxiety" },
  { code: "F43.23", description: "Adjustment disorder with mixed anxiety and depressed mood" },
  { code: "F43.24", description: "Adjustment disorder with disturbance of conduct" },
  { code: "F43.25", description: "Adjustment disorder with mixed disturbance of emotions and conduct" },
  { code: "F43.29", description: "Adjustment disorder with other symptoms" },
  { code: "F43.81", description: "Prolonged grief disorder" },
  { code: "F43.89", description: "Other reactions to severe stress" },
  { code: "F43.9", description: "Reaction to severe stress, unspecified" },
  // F50–F51 Eating and sleep disorders
  { code: "F50.00", description: "Anorexia nervosa, unspecified" },
  { code: "F50.20", description: "Bulimia nervosa, unspecified" },
  { code: "F50.819", description: "Binge eating disorder, unspecified" },
  { code: "F50.9", description: "Eating disorder, unspecified" },
  { code: "F51.01", description: "Primary insomnia" },
  // F60–F63 Personality and impulse disorders
  { code: "F60.2", description: "Antisocial personality disorder" },
  { code: "F60.3", description: "Borderline personality disorder" },
  { code: "F60.9", description: "Personality disorder, unspecified" },
  { code: "F63.0", description: "Pathological gambling" },
  // F90 Attention-deficit hyperactivity disorders
  { code: "F90.0", description: "Attention-deficit hyperactivity disorder, predominantly inattentive type" },
  { code: "F90.1", description: "Attention-deficit hyperactivity disorder, predominantly hyperactive type" },
  { code: "F90.2", description: "Attention-deficit hyperactivity disorder, combined type" },
  { code: "F90.9", description: "Attention-deficit hyperactivity disorder, unspecified type" },
];

/** An ICD-10-CM code's shape: letter, two characters, optional dot and up to four more. */
export const ICD10_PATTERN = /^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/;

export type DiagnosisCategory = "substance" | "mental_health" | "other";

/** F10–F19 are substance use; the rest of chapter F (F01–F09, F20–F99) is mental health; anything else is other. */
export function diagnosisCategory(code: string): DiagnosisCategory {
  const category = code.trim().toUpperCase().slice(0, 3);
  if (/^F1[0-9]$/.test(category)) return "substance";
  if (/^F(0[1-9]|[2-9][0-9])$/.test(category)) return "mental_health";
  return "other";
}
