/**
 * HEDIS IET (Initiation and Engagement of Substance Use Disorder Treatment) as this program can
 * measure it from attendance: the windows and what counts as an engagement event. Pure rules.
 *
 * Source: NCQA, HEDIS MY2025 Technical Specifications, IET. Initiation of SUD treatment within 14
 * days of the episode date; engagement: at least two engagement events (visits or medication
 * treatment events) beginning the day after initiation through 34 days after it. "Two engagement
 * visits can be on the same date of service, but they must be with different providers in order to
 * count as two events." Here an episode's admission is its episode date, an attended service is a
 * visit, and a session's facilitator is its provider.
 */
import { addDays } from "~/kernel/time";

/** Initiation: a service on day 0 to day 14 after admission, both included. */
export const INITIATION_DAYS = 14;
/** Engagement: services from the day after initiation to 34 days after it, both included. */
export const ENGAGEMENT_DAYS = 34;
/** How many engagement events make an episode engaged. */
export const ENGAGEMENT_SERVICES = 2;

/** An attended service: its civil date and who provided it (the session's facilitator). */
export interface Service {
  date: string;
  providerId: string;
}

/**
 * Engagement events among services: one per day and provider, so two services on one day count
 * as two only when different providers gave them (HEDIS IET; see the module comment).
 */
export function engagementEvents(services: readonly Service[]): number {
  return new Set(services.map((s) => `${s.date}\u0000${s.providerId}`)).size;
}

/**
 * An episode's IET outcome from its attended services (any order): the initiation date (the first
 * service on day 0–14, or null), and whether at least two engagement events fall in the 34 days
 * after it (services on the initiation day itself do not count).
 */
export function ietOutcome(admittedOn: string, services: readonly Service[]): { initiatedOn: string | null; engaged: boolean } {
  const dates = services.map((s) => s.date).sort();
  const first = dates.find((d) => d >= admittedOn);
  const initiatedOn = first && first <= addDays(admittedOn, INITIATION_DAYS) ? first : null;
  if (!initiatedOn) return { initiatedOn, engaged: false };
  const until = addDays(initiatedOn, ENGAGEMENT_DAYS);
  const window = services.filter((s) => s.date > initiatedOn && s.date <= until);
  return { initiatedOn, engaged: engagementEvents(window) >= ENGAGEMENT_SERVICES };
}
