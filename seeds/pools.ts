/**
 * The pools both seeds draw people and clinical details from: the demo clinic takes its patients'
 * names in order (patient i is FIRST_NAMES[i] LAST_NAMES[i]); the large network picks from these
 * and the extra names below, at random.
 */
import type { MatMedication } from "#db/schema";

export const FIRST_NAMES = [
  "Jasmine",
  "Tyler",
  "Maria",
  "Kevin",
  "Ashley",
  "DeShawn",
  "Brittany",
  "Luis",
  "Courtney",
  "Ryan",
  "Tiffany",
  "Marcus",
  "Amanda",
  "Jose",
  "Heather",
  "Brandon",
  "Crystal",
  "Andre",
  "Nicole",
  "Cody",
  "Samantha",
  "Eric",
  "Keisha",
  "Justin",
  "Rachel",
  "Miguel",
  "Danielle",
  "Travis",
  "Vanessa",
  "Anthony",
  "Megan",
  "Jamal",
  "Lindsey",
  "Carlos",
  "Erin",
  "Derek",
  "Priscilla",
  "Shawn",
  "Kayla",
  "Victor",
  "Destiny",
  "Owen",
] as const;

export const LAST_NAMES = [
  "Alvarez",
  "Brooks",
  "Castillo",
  "Doyle",
  "Ellison",
  "Fitzgerald",
  "Greene",
  "Hollister",
  "Ibarra",
  "Jenkins",
  "Kowalczyk",
  "Lambert",
  "Mendoza",
  "Novak",
  "O'Connell",
  "Pruitt",
  "Quintero",
  "Rhodes",
  "Sandoval",
  "Thibodeaux",
  "Underwood",
  "Vasquez",
  "Whitaker",
  "Xiong",
  "Yates",
  "Zamora",
  "Baptiste",
  "Coleman",
  "Delgado",
  "Esposito",
  "Flores",
  "Gallagher",
  "Huang",
  "Iverson",
  "Jablonski",
  "Kim",
  "Lockhart",
  "Moreau",
  "Nguyen",
  "Okafor",
  "Petrakis",
  "Reyes",
] as const;

/** Names only the large network uses, on top of the demo's; "José" keeps an accented name in its search. */
export const MORE_FIRST_NAMES = [
  "José",
  "Ana",
  "Brian",
  "Chloe",
  "Dmitri",
  "Fatima",
  "Grace",
  "Hector",
  "Imani",
  "Jordan",
  "Kenji",
  "Layla",
  "Mateo",
  "Noor",
  "Oscar",
  "Paige",
  "Quinn",
  "Rosa",
  "Sean",
] as const;
export const MORE_LAST_NAMES = [
  "Santos",
  "Turner",
  "Walsh",
  "Young",
  "Abbott",
  "Bishop",
  "Chavez",
  "Dunn",
  "Estrada",
  "Foster",
  "Garza",
  "Hughes",
  "Ingram",
  "Jensen",
  "Keller",
  "Lopez",
  "Morales",
  "Nash",
] as const;

/** Substance-use diagnoses, each with the medications (or none) a patient with it is likely on. */
export const SUD_DIAGNOSES: readonly { code: string; mat: readonly (MatMedication | null)[] }[] = [
  { code: "F10.20", mat: ["naltrexone_oral", "acamprosate", "disulfiram", null, null] },
  { code: "F11.20", mat: ["buprenorphine_naloxone", "buprenorphine_naloxone", "methadone", "naltrexone_xr", "buprenorphine_xr"] },
  { code: "F15.20", mat: [null] },
  { code: "F14.20", mat: [null] },
  { code: "F12.20", mat: [null] },
  { code: "F11.21", mat: ["buprenorphine_naloxone", "methadone"] },
  { code: "F10.21", mat: ["naltrexone_oral", null] },
];

/** Co-occurring mental-health diagnoses (ICD-10). */
export const MENTAL_HEALTH_CODES = ["F33.1", "F41.1", "F43.10", "F32.1", "F31.81", "F90.0", "F41.0", "F33.0", "F34.1"] as const;

/** How each medication for addiction treatment is usually given. */
export const MAT_DETAILS: Record<string, { formulation: string; dose: string; schedule: string; setting: string }> = {
  buprenorphine_naloxone: { formulation: "sublingual film", dose: "16 mg/4 mg", schedule: "once daily", setting: "office_based" },
  buprenorphine_xr: { formulation: "monthly injection", dose: "300 mg", schedule: "every 28 days", setting: "this_program" },
  methadone: { formulation: "oral liquid", dose: "80 mg", schedule: "once daily, observed", setting: "otp" },
  naltrexone_xr: { formulation: "XR injection", dose: "380 mg", schedule: "every 4 weeks", setting: "this_program" },
  naltrexone_oral: { formulation: "tablet", dose: "50 mg", schedule: "once daily", setting: "office_based" },
  acamprosate: { formulation: "delayed-release tablet", dose: "666 mg", schedule: "three times daily", setting: "office_based" },
  disulfiram: { formulation: "tablet", dose: "250 mg", schedule: "once daily", setting: "office_based" },
};

export const PRESCRIBERS = ["Dr. Naomi Adeyemi, MD", "Dr. Paul Strand, DO", "Kara Lindqvist, PMHNP", "Riverside OTP clinic"] as const;

/** Payers, weighted by repetition (commercial and Medicaid twice as likely). */
export const PAYERS = ["commercial", "commercial", "medicaid", "medicaid", "medicare", "self_pay"] as const;
